package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * mbps: over a bounded run the bytes completed never exceed the byte budget of the ticks that
 * elapsed (a correctness bound with one tick of slack for the refill in progress and one for the
 * budget already there at the start), and the device really throttled. No speed is asserted.
 */
class ThrottleTest {
    private static final long TICK_NS = 20_000_000L;

    @ParameterizedTest
    @CsvSource({"raw,off", "safe,checked"})
    void bytesCompletedStayWithinTheBudget(String drv, String own) throws Exception {
        int mbps = 8;
        long budgetPerTick = (long) ((1 << 20) / 50) * mbps;
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0", "size=16 poll_queues=0 irqmode=0 mbps=" + mbps,
                DriverKind.parse(drv), Ownership.parse(own)); SwQueue q = dev.disk().openQueue()) {
            AtomicLong completedBytes = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            Semaphore slots = new Semaphore(32);
            ByteBuffer buf = ByteBuffer.allocate(4096);
            long start = System.nanoTime();
            long snapshot = 0;
            long elapsed = 0;
            int i = 0;
            while (true) {
                long now = System.nanoTime();
                if (now - start >= 1_000_000_000L) {
                    snapshot = completedBytes.get();
                    elapsed = System.nanoTime() - start;
                    break;
                }
                if (!slots.tryAcquire(5, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                q.submitBio(new Bio().set(ReqOp.WRITE, (i++ % 4096) * 8L, 4096, buf, 0, 0, b -> {
                    if (b.status() == BlkStatus.OK) {
                        completedBytes.addAndGet(b.bytesDone());
                    } else {
                        failed.incrementAndGet();
                    }
                    slots.release();
                }));
            }
            assertTrue(slots.tryAcquire(32, NullBlkTestSupport.WAIT_S, TimeUnit.SECONDS), "in-flight I/O drained");
            long ticks = (elapsed + TICK_NS - 1) / TICK_NS;
            long bound = budgetPerTick * (ticks + 2);
            assertTrue(snapshot <= bound, "completed " + snapshot + " bytes in " + elapsed / 1_000_000
                    + " ms, more than the budget of " + ticks + " ticks + 2: " + bound);
            System.out.printf("mbps=%d %s/%s: %d bytes in %d ms (%d ticks), bound %d, throttled %d times%n", mbps, drv,
                    own, snapshot, elapsed / 1_000_000, ticks, bound, dev.engine().faultCounts()[3]);
            assertTrue(snapshot > 0, "some I/O completed");
            assertEquals(0, failed.get(), "throttling delays I/O, it does not fail it");
            assertTrue(dev.engine().faultCounts()[3] > 0, "the device throttled (DEV_RESOURCE)");
        }
    }

    @ParameterizedTest
    @CsvSource({"raw,off", "safe,checked"})
    void requestLargerThanOneTicksBudgetStillPasses(String drv, String own) throws Exception {
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0", "size=16 poll_queues=0 irqmode=1 mbps=1",
                DriverKind.parse(drv), Ownership.parse(own)); SwQueue q = dev.disk().openQueue()) {
            ByteBuffer buf = ByteBuffer.allocate(64 << 10); // 64 KiB > 20 KiB per tick at 1 MiB/s
            for (int i = 0; i < 4; i++) {
                NullBlkTestSupport.Done d = NullBlkTestSupport.io(q, ReqOp.WRITE, i * 128L, 64 << 10, buf, 0, 0);
                assertEquals(BlkStatus.OK, d.status);
            }
        }
    }
}
