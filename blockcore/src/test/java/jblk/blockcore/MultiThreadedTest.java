package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 2's multi-threaded run: 2 submitters x N bios (N = 1,000,000 by default; the system
 * property jblk.mt.bios overrides it), a trivial driver completing on another thread (softirq).
 * Every bio's callback runs exactly once, and every tag is free at the end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiThreadedTest {
    static final int BIOS_PER_SUBMITTER = Integer.getInteger("jblk.mt.bios", 1_000_000);
    static final int SLOTS = 32;

    /** One submitter: SLOTS reusable bios, each either free (0) or in flight (1). */
    static final class Submitter {
        final int id;
        final long n;
        final Semaphore free = new Semaphore(SLOTS);
        final AtomicIntegerArray inFlight = new AtomicIntegerArray(SLOTS);
        final AtomicIntegerArray perSlot = new AtomicIntegerArray(SLOTS);
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong doubles = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Bio[] bios = new Bio[SLOTS];
        /** Submit in plugged batches of random size (1..40) instead of one by one. */
        boolean plugged;

        Submitter(int id, long n) {
            this.id = id;
            this.n = n;
            for (int s = 0; s < SLOTS; s++) {
                final int slot = s;
                bios[s] = read(0, 4096, bio -> {
                    // exactly once: the slot must be in flight when its callback runs
                    if (!inFlight.compareAndSet(slot, 1, 0)) {
                        doubles.incrementAndGet();
                    }
                    if (bio.status() != BlkStatus.OK) {
                        failed.incrementAndGet();
                    }
                    perSlot.incrementAndGet(slot);
                    completed.incrementAndGet();
                    free.release();
                });
            }
        }

        void run(GenDisk disk, CountDownLatch go) throws Exception {
            go.await();
            int next = 0;
            try (SwQueue q = disk.openQueue()) {
                int batch = 0;
                for (long i = 0; i < n; i++) {
                    if (plugged && batch == 0) {
                        batch = 1 + ThreadLocalRandom.current().nextInt(40);
                        q.startPlug();
                    }
                    if (!free.tryAcquire()) {
                        if (q.isPlugged()) {
                            q.finishPlug(); // our own plugged bios may be what we wait for
                            batch = 0;
                        }
                        if (!free.tryAcquire(WAIT_S, TimeUnit.SECONDS)) {
                            throw new AssertionError("submitter " + id + ": no completion within " + WAIT_S
                                    + " s after " + i + " bios");
                        }
                    }
                    int slot = -1;
                    for (int k = 0; k < SLOTS; k++) {
                        int s = (next + k) % SLOTS;
                        if (inFlight.get(s) == 0) {
                            slot = s;
                            break;
                        }
                    }
                    assertTrue(slot >= 0, "a permit but no free bio");
                    next = slot + 1;
                    inFlight.set(slot, 1);
                    bios[slot].sector(((i * 8) & ((1 << 16) - 1)) + id * (1L << 16));
                    submitted.incrementAndGet();
                    q.submitBio(bios[slot]);
                    if (plugged && batch > 0 && --batch == 0) {
                        q.finishPlug();
                    }
                }
                if (q.isPlugged()) {
                    q.finishPlug();
                }
                if (!free.tryAcquire(SLOTS, WAIT_S, TimeUnit.SECONDS)) {
                    throw new AssertionError("submitter " + id + ": outstanding bios never completed");
                }
            }
        }

        void verify() {
            assertEquals(0, doubles.get(), "submitter " + id + ": callbacks on bios not in flight (double completion)");
            assertEquals(0, failed.get(), "submitter " + id + ": failed bios");
            assertEquals(n, submitted.get());
            assertEquals(n, completed.get(), "submitter " + id + ": every bio completed exactly once");
            long sum = 0;
            for (int s = 0; s < SLOTS; s++) {
                sum += perSlot.get(s);
                assertEquals(0, inFlight.get(s));
            }
            assertEquals(n, sum);
        }
    }

    private static void runAndVerify(TagSet set, long perSubmitter) throws Exception {
        runAndVerify(set, perSubmitter, false);
    }

    private static void runAndVerify(TagSet set, long perSubmitter, boolean plugged)
            throws Exception {
        GenDisk disk = GenDisk.builder(set).name("mt").capacitySectors(1 << 18).build();
        List<Throwable> err = new ArrayList<>();
        Submitter[] subs = {new Submitter(0, perSubmitter), new Submitter(1, perSubmitter)};
        for (Submitter s : subs) {
            s.plugged = plugged;
        }
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (Submitter s : subs) {
                threads.add(start("submitter-" + s.id, () -> s.run(disk, go), err));
            }
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(100));
                assertFalse(t.isAlive(), t.getName() + " did not finish");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("MultiThreadedTest: 2 x " + perSubmitter + (plugged ? " plugged" : "") + " bios on "
                    + set.nrHwQueues() + " hw queue(s) in " + ms + " ms");
            noErrors(err);
            for (Submitter s : subs) {
                s.verify();
            }
            awaitTagsFree(disk);
            for (HwQueue h : disk.hwQueues()) {
                assertEquals(0, h.tags().busy(), h + " has busy tags");
            }
            long[] f = disk.statFields();
            assertEquals(2 * perSubmitter, f[StatsTest.READ_IOS], "every bio accounted once");
            assertEquals(0, f[StatsTest.IN_FLIGHT]);
        } finally {
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().drained());
        assertTrue(disk.closeReport().leaked().isEmpty(), disk.closeReport().toString());
    }

    @Test
    void twoSubmittersSoftirqCompletion() throws Exception {
        Softirq drv = new Softirq();
        TagSet set = TagSet.builder(drv).queueDepth(64).build();
        runAndVerify(set, BIOS_PER_SUBMITTER);
        assertEquals(2L * BIOS_PER_SUBMITTER, drv.calls.get());
        assertEquals(2L * BIOS_PER_SUBMITTER, drv.completes.get());
    }

    /**
     * Same, with a driver that bounces about 1% of requests with RESOURCE or DEV_RESOURCE, on two
     * hw queues and a tag space smaller than the bios in flight: requeue paths under load.
     */
    @Test
    void twoSubmittersWithBusyBounces() throws Exception {
        Softirq drv = new Softirq() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                int r = ThreadLocalRandom.current().nextInt(200);
                if (r == 0) {
                    return BlkStatus.RESOURCE;
                }
                if (r == 1) {
                    return BlkStatus.DEV_RESOURCE;
                }
                return super.queueRq(hctx, rq, last);
            }
        };
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrCpuIds(2).queueDepth(16).build();
        runAndVerify(set, BIOS_PER_SUBMITTER / 10);
    }
    /**
     * Plugged batches of random size, a driver with queueRqs that takes part of each batch (the rest
     * goes through queueRq, which bounces some with RESOURCE), and commitRqs.
     */
    @Test
    void twoSubmittersPluggedBatches() throws Exception {
        AtomicLong commits = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        Softirq drv = new Softirq() {
            @Override
            public void queueRqs(RequestList rqs) {
                batches.incrementAndGet();
                int take = ThreadLocalRandom.current().nextInt(rqs.size() + 1);
                for (int i = 0; i < take; i++) {
                    Request rq = rqs.poll();
                    BlkMq.startRequest(rq);
                    BlkMq.completeRequest(rq);
                }
            }

            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                if (ThreadLocalRandom.current().nextInt(100) == 0) {
                    return BlkStatus.RESOURCE;
                }
                return super.queueRq(hctx, rq, last);
            }

            @Override
            public void commitRqs(HwQueue hctx) {
                commits.incrementAndGet();
            }
        };
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrCpuIds(2).queueDepth(32).build();
        runAndVerify(set, BIOS_PER_SUBMITTER / 5, true);
        assertTrue(batches.get() > 0, "queueRqs was used");
    }
}
