package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.nullblk.NullBlkTestSupport.HoldingOps;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;

/**
 * nr_devices=2 shared_tags=1: both disks share one tag space, and each active disk gets a fair share
 * of it, so a device that never completes (nullb0, its driver wrapped to hold every request) cannot
 * starve the other one.
 */
class SharedTagsFairnessTest {
    private static final int DEPTH = 16;

    @Test
    void aStuckDeviceKeepsItsShareAndTheOtherStillCompletes() throws Exception {
        NullbParams p = NullbParams.parse("nr_devices=2 shared_tags=1 size=4 poll_queues=0 submit_queues=1 irqmode=1"
                + " hw_queue_depth=" + DEPTH);
        AtomicReference<HoldingOps> holder = new AtomicReference<>();
        NullbDevice first = new NullbDevice("nullb0", p, DriverKind.SAFE, Ownership.CHECKED);
        // Hold every request of nullb0, and the first one of nullb1 (so nullb1 stays an active user).
        boolean[] nullb1Held = new boolean[1];
        first.wrapSafe(ops -> {
            HoldingOps h = new HoldingOps(ops, rq -> {
                if (rq.disk().name().equals("nullb0")) {
                    return true;
                }
                synchronized (nullb1Held) {
                    if (!nullb1Held[0]) {
                        nullb1Held[0] = true;
                        return true;
                    }
                    return false;
                }
            });
            holder.set(h);
            return h;
        });
        NullbDevice.SharedSet shared = new NullbDevice.SharedSet(first);
        NullbDevice d0 = new NullbDevice("nullb0", p, DriverKind.SAFE, Ownership.CHECKED, shared);
        NullbDevice d1 = new NullbDevice("nullb1", p, DriverKind.SAFE, Ownership.CHECKED, shared);
        Thread flooder = null;
        List<Done> slow = new ArrayList<>();
        try {
            d0.power(true);
            d1.power(true);
            assertSame(d0.safeTagSet(), d1.safeTagSet(), "one tag set for both devices");
            HoldingOps ops = holder.get();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try (SwQueue q1 = d1.disk().openQueue()) {
                Done pinned = NullBlkTestSupport.submit(q1, ReqOp.READ, 0, 4096, buf, 0, 0);
                NullBlkTestSupport.waitUntil("nullb1's first request held", () -> ops.held.size() == 1);

                AtomicReference<Throwable> failure = new AtomicReference<>();
                flooder = new Thread(() -> {
                    try (SwQueue q0 = d0.disk().openQueue()) {
                        for (int i = 0; i < 3 * DEPTH; i++) {
                            Done d = new Done();
                            synchronized (slow) {
                                slow.add(d);
                            }
                            q0.submitBio(new jblk.blockcore.Bio().set(ReqOp.READ, 8L * i, 4096,
                                    ByteBuffer.allocate(4096), 0, 0, d));
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "flooder");
                flooder.setDaemon(true);
                flooder.start();
                int share = DEPTH / 2;
                NullBlkTestSupport.waitUntil("nullb0 holds its share", () -> ops.held.size() == 1 + share);
                Thread.sleep(100); // it must stay at its share: a correctness window
                assertEquals(1 + share, ops.held.size(), "the stuck device took no more than its fair share");

                // The fast device still completes I/O, with its own share of the tags.
                for (int i = 0; i < 500; i++) {
                    Done d = NullBlkTestSupport.io(q1, ReqOp.READ, 8L * (i % 64), 4096, buf, 0, 0);
                    assertEquals(BlkStatus.OK, d.status);
                }
                assertEquals(1 + share, ops.held.size());
                assertEquals(0, pinned.calls.get());

                assertTrue(ops.releaseAll() >= 1 + share);
                pinned.assertOnce(BlkStatus.OK);
                // A request that was being held while we released is released on the next round.
                NullBlkTestSupport.waitUntil("nullb0 drained", () -> {
                    ops.releaseAll();
                    synchronized (slow) {
                        return slow.size() == 3 * DEPTH && slow.stream().allMatch(Done::isDone);
                    }
                });
                flooder.join(NullBlkTestSupport.WAIT_S * 1000);
                assertNull(failure.get());
                synchronized (slow) {
                    assertEquals(3 * DEPTH, slow.size());
                    for (Done d : slow) {
                        d.assertOnce(BlkStatus.OK);
                    }
                }
                assertEquals(0, d0.violations().total());
                assertEquals(0, d1.violations().total());
            }
        } finally {
            HoldingOps ops = holder.get();
            if (ops != null) {
                ops.releaseAll();
            }
            if (flooder != null) {
                flooder.join(5_000);
            }
            d0.close();
            d1.close();
            shared.close();
        }
    }
}
