package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jblk.blockcore.Bio;
import jblk.blockcore.BioEndIo;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.CloseReport;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;

/**
 * The multi-threaded run: a deliberately buggy driver completes through the softirq context
 * and, for every 7th request, also hands the handle to a "racer" thread that ends it, either before
 * or after its own complete(). Two ends race from two threads (the racer against complete() or
 * against the complete callback's end); in CHECKED mode every bio completes exactly once and the
 * refusals are counted exactly: one per injected double end.
 */
class ConcurrentDoubleEndTest {
    private static final int SUBMITTERS = 2;
    private static final int PER_SUBMITTER = 100_000;
    private static final int EVERY = 7;

    @Test
    void everyBioCompletesOnceAndEveryInjectedDoubleEndIsRefusedOnce() throws Exception {
        int total = SUBMITTERS * PER_SUBMITTER;
        AtomicLong injected = new AtomicLong();
        LinkedBlockingQueue<RequestRef<Void>> racerQueue = new LinkedBlockingQueue<>();
        AtomicLong racerTries = new AtomicLong();
        AtomicLong racerWins = new AtomicLong();
        AtomicLong callbackEnds = new AtomicLong();
        AtomicLong callbackRefusals = new AtomicLong();

        TestDriver d = new TestDriver() {
            @Override
            public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
                // No bookkeeping of the base class: this is the hot loop.
                int n = queueRqCalls.incrementAndGet();
                if (n % (2 * EVERY) == 0) {
                    // The bug, variant 1: another thread ends it while we still complete() it.
                    injected.incrementAndGet();
                    racerQueue.add(rq);
                    rq.complete();
                } else if (n % (2 * EVERY) == EVERY) {
                    // Variant 2: complete() first, then another thread races the complete callback.
                    injected.incrementAndGet();
                    rq.complete();
                    racerQueue.add(rq);
                } else {
                    rq.complete();
                }
                return BlkStatus.OK;
            }

            @Override
            public void complete(RequestRef<Void> rq) {
                if (rq.endOk() == EndOutcome.ENDED) {
                    callbackEnds.incrementAndGet();
                } else {
                    callbackRefusals.incrementAndGet();
                }
            }
        };

        AtomicIntegerArray completions = new AtomicIntegerArray(total);
        CountDownLatch allDone = new CountDownLatch(total);
        AtomicInteger notOk = new AtomicInteger();
        BioEndIo endIo = b -> {
            if (b.status() != BlkStatus.OK) {
                notOk.incrementAndGet();
            }
            completions.incrementAndGet((Integer) b.privateData());
            allDone.countDown();
        };

        TagSet<Void, Void> set = TagSet.builder(d).queueDepth(32).ownership(Ownership.CHECKED).build();
        jblk.blockcore.GenDisk disk = new GenDiskBuilder().capacitySectors(1 << 20)
                .closeTimeout(Duration.ofSeconds(2)).build("race0", set);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread racer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    RequestRef<Void> rq = racerQueue.poll(10, TimeUnit.MILLISECONDS);
                    if (rq == null) {
                        continue;
                    }
                    racerTries.incrementAndGet();
                    if (rq.endOk() == EndOutcome.ENDED) {
                        racerWins.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "racer");
        racer.setDaemon(true);
        racer.start();
        try {
            List<Thread> subs = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                int base = s * PER_SUBMITTER;
                Thread t = new Thread(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(512);
                    try (SwQueue q = disk.openQueue()) {
                        for (int i = 0; i < PER_SUBMITTER; i++) {
                            int idx = base + i;
                            q.submitBio(new Bio().set(ReqOp.READ, (idx & 1023) * 8L, 512, buf, 0, 0, endIo)
                                    .privateData(idx));
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "submitter-" + s);
                subs.add(t);
                t.start();
            }
            for (Thread t : subs) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertTrue(allDone.await(60, TimeUnit.SECONDS), "only " + (total - allDone.getCount()) + " of "
                    + total + " bios completed");
            // Let the racer finish every attempt it was handed before counting.
            SafetyTestSupport.waitUntil("racer drained", () -> racerTries.get() == injected.get());
            assertEquals(null, failure.get());

            for (int i = 0; i < total; i++) {
                if (completions.get(i) != 1) {
                    assertEquals(1, completions.get(i), "bio " + i + " completions");
                }
            }
            assertEquals(0, notOk.get());
            assertEquals(total, d.queueRqCalls.get(), "no request was issued twice");
            long inj = injected.get();
            assertEquals(total / EVERY, inj);

            Violations v = set.violations(disk);
            long refusals = v.count(Violation.ALREADY_ENDED) + v.count(Violation.STALE);
            assertEquals(inj, refusals, "one refusal per injected double end: " + v);
            assertEquals(refusals, v.total(), "no other kind of violation: " + v);
            // Each request was ended exactly once: by the complete callback or by the racer.
            assertEquals(total, callbackEnds.get() + racerWins.get());
            System.out.printf("race0: %d bios, %d injected double ends, racer won %d, callback refused %d, %s%n",
                    total, inj, racerWins.get(), callbackRefusals.get(), v);
        } finally {
            stop.set(true);
            racer.join(5_000);
            disk.close();
            CloseReport r = disk.closeReport();
            set.close();
            assertTrue(r.leaked().isEmpty(), r.toString());
        }
    }
}
