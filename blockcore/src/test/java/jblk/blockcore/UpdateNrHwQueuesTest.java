package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** blk_mq_update_nr_hw_queues and queue-depth changes while I/O runs, and rollback on initHctx failure. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpdateNrHwQueuesTest {

    /** Completes through softirq; tracks live hctxs; initHctx fails for indices >= failFrom. */
    static final class Reconf extends Softirq {
        final Set<Integer> live = ConcurrentHashMap.newKeySet();
        final AtomicInteger violations = new AtomicInteger();
        final AtomicIntegerArray perHctx = new AtomicIntegerArray(8);
        volatile int failFrom = Integer.MAX_VALUE;

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            perHctx.incrementAndGet(hctx.queueNum());
            if (!live.contains(hctx.queueNum()) || !("drv" + hctx.queueNum()).equals(hctx.driverData())) {
                violations.incrementAndGet();
            }
            return super.queueRq(hctx, rq, last);
        }

        @Override
        public Object initHctx(HwQueue hctx, int hctxIdx) {
            if (hctxIdx >= failFrom) {
                throw new IllegalStateException("no hardware for queue " + hctxIdx);
            }
            if (!live.add(hctxIdx)) {
                violations.incrementAndGet();
            }
            return "drv" + hctxIdx;
        }

        @Override
        public void exitHctx(HwQueue hctx, int hctxIdx) {
            if (!live.remove(hctxIdx)) {
                violations.incrementAndGet();
            }
        }
    }

    /** Two submitter threads, each with 8 reusable bios, checking every bio completes exactly once. */
    static final class Load {
        static final int SLOTS = 8;
        final GenDisk disk;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong doubles = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final List<Throwable> err = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        Load(GenDisk disk) {
            this.disk = disk;
        }

        Load start() {
            for (int t = 0; t < 2; t++) {
                final int id = t;
                threads.add(TestDrivers.start("load-" + t, () -> run(id), err));
            }
            return this;
        }

        private void run(int id) throws Exception {
            Semaphore free = new Semaphore(SLOTS);
            AtomicIntegerArray inFlight = new AtomicIntegerArray(SLOTS);
            Bio[] bios = new Bio[SLOTS];
            for (int s = 0; s < SLOTS; s++) {
                final int slot = s;
                bios[s] = read(0, 4096, bio -> {
                    if (!inFlight.compareAndSet(slot, 1, 0)) {
                        doubles.incrementAndGet();
                    }
                    if (bio.status() != BlkStatus.OK) {
                        failed.incrementAndGet();
                    }
                    completed.incrementAndGet();
                    free.release();
                });
            }
            try (SwQueue q = disk.openQueue()) {
                long n = 0;
                while (!stop.get()) {
                    if (!free.tryAcquire(WAIT_S, TimeUnit.SECONDS)) {
                        throw new AssertionError("no bio completed within " + WAIT_S + " s");
                    }
                    int slot = -1;
                    for (int s = 0; s < SLOTS; s++) {
                        if (inFlight.compareAndSet(s, 0, 1)) {
                            slot = s;
                            break;
                        }
                    }
                    assertTrue(slot >= 0, "a permit without a free slot");
                    bios[slot].sector((n++ % 1024) * 8 + id * 8192L);
                    submitted.incrementAndGet();
                    q.submitBio(bios[slot]);
                }
                if (!free.tryAcquire(SLOTS, WAIT_S, TimeUnit.SECONDS)) {
                    throw new AssertionError("outstanding bios did not complete");
                }
            }
        }

        void stopAndVerify() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                join(t);
            }
            noErrors(err);
            assertEquals(0, doubles.get(), "bios completed twice");
            assertEquals(0, failed.get(), "bios failed");
            assertEquals(submitted.get(), completed.get(), "every submitted bio completed");
            assertTrue(submitted.get() > 0);
        }
    }

    private static TagSet set(Reconf drv, int nrHw) {
        return TagSet.builder(drv).nrHwQueues(nrHw).nrCpuIds(2).queueDepth(16).build();
    }

    @Test
    void oneTwoOneWhileIoRuns() throws Exception {
        Reconf drv = new Reconf();
        TagSet set = set(drv, 1);
        GenDisk disk = disk(set, "nr0");
        Load load = null;
        try {
            load = new Load(disk).start();
            Load l = load;
            awaitTrue("I/O running", () -> l.completed.get() > 1000);
            for (int cycle = 0; cycle < 4; cycle++) {
                set.updateNrHwQueues(2, 0);
                assertEquals(2, set.nrHwQueues());
                assertEquals(2, disk.nrHwQueues());
                assertEquals(Set.of(0, 1), drv.live);
                assertEquals("drv1", disk.hwQueue(1).driverData());
                int before = drv.perHctx.get(1);
                awaitTrue("I/O reaches hctx1", () -> drv.perHctx.get(1) > before + 100);

                set.updateNrHwQueues(1, 0);
                assertEquals(1, set.nrHwQueues());
                assertEquals(1, disk.nrHwQueues());
                assertEquals(Set.of(0), drv.live);
                long done = l.completed.get();
                awaitTrue("I/O continues on one queue", () -> l.completed.get() > done + 100);
            }
            load.stopAndVerify();
            load = null;
            assertEquals(0, drv.violations.get(), "queueRq on a dead hctx or double init/exit");
            awaitTagsFree(disk);
        } finally {
            if (load != null) {
                load.stop.set(true);
            }
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().leaked().isEmpty(), disk.closeReport().toString());
        assertTrue(disk.closeReport().drained());
        assertEquals(Set.of(), drv.live, "close exits every hctx");
    }

    @Test
    void failingInitHctxRollsBack() throws Exception {
        Reconf drv = new Reconf();
        drv.failFrom = 2;
        TagSet set = set(drv, 2);
        GenDisk disk = disk(set, "nr1");
        Load load = null;
        try {
            load = new Load(disk).start();
            Load l = load;
            awaitTrue("I/O running", () -> l.completed.get() > 1000);
            for (int i = 0; i < 3; i++) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> set.updateNrHwQueues(3, 0));
                assertTrue(e.getMessage().contains("initHctx"), e.getMessage());
                assertEquals(2, set.nrHwQueues(), "the set keeps its previous count");
                assertEquals(2, disk.nrHwQueues(), "the disk keeps its previous count");
                assertEquals(Set.of(0, 1), drv.live, "hctxs created for the attempt were exited again");
                assertFalse(disk.isFrozen(), "the disk is unfrozen after the failure");
                long done = l.completed.get();
                awaitTrue("I/O continues after the failed update", () -> l.completed.get() > done + 100);
            }
            int h0 = drv.perHctx.get(0);
            int h1 = drv.perHctx.get(1);
            awaitTrue("both queues still serve", () -> drv.perHctx.get(0) > h0 + 50 && drv.perHctx.get(1) > h1 + 50);
            load.stopAndVerify();
            load = null;
            assertEquals(0, drv.violations.get());
            // a valid update still works afterwards
            set.updateNrHwQueues(1, 0);
            assertEquals(Set.of(0), drv.live);
            try (SwQueue q = disk.openQueue()) {
                readOk(q, 0);
            }
        } finally {
            if (load != null) {
                load.stop.set(true);
            }
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().leaked().isEmpty());
    }

    @Test
    void queueDepthChangesWhileIoRuns() throws Exception {
        Reconf drv = new Reconf();
        TagSet set = set(drv, 2);
        GenDisk disk = disk(set, "nr2");
        Load load = null;
        try {
            load = new Load(disk).start();
            Load l = load;
            for (int depth : new int[] {4, 32, 1, 16}) {
                set.updateQueueDepth(depth);
                assertEquals(depth, set.queueDepth());
                assertEquals(depth, disk.hwQueue(0).tags().nrTags());
                assertEquals(depth, disk.hwQueue(1).tags().nrTags());
                assertTrue(disk.debugfs().get("hctx0/tags").contains("nr_tags=" + depth + "\n"));
                long done = l.completed.get();
                awaitTrue("I/O continues at depth " + depth, () -> l.completed.get() > done + 100);
            }
            load.stopAndVerify();
            load = null;
            awaitTagsFree(disk);
        } finally {
            if (load != null) {
                load.stop.set(true);
            }
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().leaked().isEmpty());
    }
}
