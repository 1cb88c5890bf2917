package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** blk_mq_update_nr_hw_queues and queue-depth changes while I/O runs, and rollback on initHctx failure. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpdateNrHwQueuesTest {

    /** Completes through softirq; tracks live hctxs; initHctx fails for indices >= failFrom. */
    static final class Reconf extends Softirq {
        /** Live hctxs as "disk/index". */
        final Set<String> live = ConcurrentHashMap.newKeySet();
        final AtomicInteger violations = new AtomicInteger();
        final AtomicIntegerArray perHctx = new AtomicIntegerArray(8);
        volatile int failFrom = Integer.MAX_VALUE;

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            perHctx.incrementAndGet(hctx.queueNum());
            if (!live.contains(key(hctx, hctx.queueNum())) || !("drv" + hctx.queueNum()).equals(hctx.driverData())) {
                violations.incrementAndGet();
            }
            return super.queueRq(hctx, rq, last);
        }

        static String key(HwQueue hctx, int idx) {
            return hctx.disk().name() + "/" + idx;
        }

        /** The live hctx indices of {@code disk}. */
        Set<Integer> liveOf(GenDisk disk) {
            Set<Integer> out = new TreeSet<>();
            for (String k : live) {
                if (k.startsWith(disk.name() + "/")) {
                    out.add(Integer.parseInt(k.substring(disk.name().length() + 1)));
                }
            }
            return out;
        }

        @Override
        public Object initHctx(HwQueue hctx, int hctxIdx) {
            if (hctxIdx >= failFrom) {
                throw new IllegalStateException("no hardware for queue " + hctxIdx);
            }
            if (!live.add(key(hctx, hctxIdx))) {
                violations.incrementAndGet();
            }
            return "drv" + hctxIdx;
        }

        @Override
        public void exitHctx(HwQueue hctx, int hctxIdx) {
            if (!live.remove(key(hctx, hctxIdx))) {
                violations.incrementAndGet();
            }
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
        IoLoad load = null;
        try {
            load = new IoLoad(disk).start();
            IoLoad l = load;
            awaitTrue("I/O running", () -> l.completed.get() > 1000);
            for (int cycle = 0; cycle < 4; cycle++) {
                set.updateNrHwQueues(2, 0);
                assertEquals(2, set.nrHwQueues());
                assertEquals(2, disk.nrHwQueues());
                assertEquals(Set.of(0, 1), drv.liveOf(disk));
                assertEquals("drv1", disk.hwQueue(1).driverData());
                int before = drv.perHctx.get(1);
                awaitTrue("I/O reaches hctx1", () -> drv.perHctx.get(1) > before + 100);

                set.updateNrHwQueues(1, 0);
                assertEquals(1, set.nrHwQueues());
                assertEquals(1, disk.nrHwQueues());
                assertEquals(Set.of(0), drv.liveOf(disk));
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
        IoLoad load = null;
        try {
            load = new IoLoad(disk).start();
            IoLoad l = load;
            awaitTrue("I/O running", () -> l.completed.get() > 1000);
            for (int i = 0; i < 3; i++) {
                // a third queue, a poll queue: with two "CPUs" a third default queue would be cut to
                // nr_cpu_ids (one queue map), so the growth that fails is a poll queue's
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> set.updateNrHwQueues(3, 1));
                assertTrue(e.getMessage().contains("initHctx"), e.getMessage());
                assertEquals(2, set.nrHwQueues(), "the set keeps its previous count");
                assertEquals(2, disk.nrHwQueues(), "the disk keeps its previous count");
                assertEquals(Set.of(0, 1), drv.liveOf(disk), "hctxs created for the attempt were exited again");
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
            assertEquals(Set.of(0), drv.liveOf(disk));
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
        IoLoad load = null;
        try {
            load = new IoLoad(disk).start();
            IoLoad l = load;
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
    /**
     * A submitter that picked its hctx just before an update and takes its tag just after it must
     * not issue on the removed hctx. The interleaving is forced: on a shared set the submitter
     * blocks in the fair-share bookkeeping (ActiveShare.markActive, between choosing the hctx and
     * taking the tag) while the test holds that monitor and runs the update.
     */
    @Test
    void submitterRacingAnUpdateUsesTheNewQueues() throws Exception {
        Reconf drv = new Reconf();
        TagSet set = set(drv, 2);
        GenDisk disk = disk(set, "nr3");
        GenDisk other = disk(set, "nr3b"); // makes the set shared
        List<Throwable> err = new ArrayList<>();
        Done d = new Done();
        try {
            SwQueue q0 = disk.openQueue();
            SwQueue q1 = disk.openQueue();
            assertEquals(1, q1.hctx(HctxType.DEFAULT).queueNum());
            HwQueue hctx1 = disk.hwQueue(1);
            Thread t;
            synchronized (hctx1.share) {
                t = start("racing-submitter", () -> q1.submitBio(read(0, 4096, d)), err);
                awaitTrue("submitter inside getRequest", () -> t.getState() == Thread.State.BLOCKED);
                set.updateNrHwQueues(1, 0);
                assertEquals(1, disk.nrHwQueues());
            }
            join(t);
            noErrors(err);
            assertTrue(d.latch.await(WAIT_S, TimeUnit.SECONDS), "the bio never completed");
            assertEquals(BlkStatus.OK, d.status);
            assertEquals(0, drv.violations.get(), "queueRq ran on a removed hctx");
            q0.close();
            q1.close();
        } finally {
            closeQuietly(set, disk, other);
        }
    }
}
