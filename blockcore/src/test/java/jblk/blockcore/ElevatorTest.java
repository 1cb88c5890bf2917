package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The I/O scheduler attached to a disk: selection, the default block/elevator.c picks, scheduler
 * tags (nr_requests) as a depth limit, dispatch through the scheduler, sysfs and debugfs, and a
 * live switch under I/O that loses and doubles nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ElevatorTest {

    @Test
    void theDefaultIsTheKernels() {
        BlkMqOps ops = new Inline();
        try (TagSet one = TagSet.builder(ops).build();
                TagSet noSched = TagSet.builder(ops).flag(TagSetFlag.NO_SCHED_BY_DEFAULT).build();
                TagSet two = TagSet.builder(ops).nrHwQueues(2).nrCpuIds(2).build();
                TagSet twoShared = TagSet.builder(ops).nrHwQueues(2).nrCpuIds(2)
                        .flag(TagSetFlag.TAG_HCTX_SHARED).build()) {
            assertEquals(ElevatorType.MQ_DEADLINE, ElevatorType.defaultFor(one), "one hw queue");
            assertEquals(ElevatorType.NONE, ElevatorType.defaultFor(noSched), "BLK_MQ_F_NO_SCHED_BY_DEFAULT");
            assertEquals(ElevatorType.NONE, ElevatorType.defaultFor(two), "more than one hw queue");
            assertEquals(ElevatorType.MQ_DEADLINE, ElevatorType.defaultFor(twoShared), "shared tags");
        }
    }

    @Test
    void sysfsShowsTheSchedulerAndNrRequests() {
        TagSet set = TagSet.builder(new Inline()).queueDepth(16).build();
        GenDisk disk = disk(set, "elv0");
        try {
            assertEquals("[mq-deadline] none", disk.sysfsQueue().get("scheduler"), "the default on one hw queue");
            disk.setScheduler("none");
            assertEquals("[none] mq-deadline", disk.sysfsQueue().get("scheduler"));
            assertEquals("16", disk.sysfsQueue().get("nr_requests"));
            assertNull(disk.sysfsQueue().get("iosched/read_expire"));
            disk.setScheduler("mq-deadline");
            assertEquals(ElevatorType.MQ_DEADLINE, disk.scheduler());
            assertEquals("[mq-deadline] none", disk.sysfsQueue().get("scheduler"));
            assertEquals("32", disk.sysfsQueue().get("nr_requests"), "2 * min(queue depth, 128)");
            assertEquals("500", disk.sysfsQueue().get("iosched/read_expire"));
            disk.setIoschedTunable("fifo_batch", "8");
            assertEquals("8", disk.sysfsQueue().get("iosched/fifo_batch"));
            disk.setScheduler("none");
            assertEquals("16", disk.sysfsQueue().get("nr_requests"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> disk.setScheduler("bfq"));
            assertTrue(e.getMessage().contains("allowed none, mq-deadline"), e.getMessage());
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void aNewDiskGetsTheDefaultUnlessItsBuilderNamesOne() {
        BlkMqOps ops = new Inline();
        TagSet one = TagSet.builder(ops).build();
        TagSet two = TagSet.builder(ops).nrHwQueues(2).nrCpuIds(2).build();
        TagSet noSched = TagSet.builder(ops).flag(TagSetFlag.NO_SCHED_BY_DEFAULT).build();
        GenDisk a = disk(one, "elvd0");
        GenDisk b = disk(two, "elvd1");
        GenDisk c = disk(noSched, "elvd2");
        GenDisk d = GenDisk.builder(one).name("elvd3").capacitySectors(1 << 16).scheduler("none").build();
        try {
            assertEquals(ElevatorType.MQ_DEADLINE, a.scheduler());
            assertEquals(ElevatorType.NONE, b.scheduler());
            assertEquals(ElevatorType.NONE, c.scheduler());
            assertEquals(ElevatorType.NONE, d.scheduler());
        } finally {
            closeQuietly(null, a, b, c, d);
            one.close();
            two.close();
            noSched.close();
        }
    }

    @Test
    void aDeepQueueGetsTwoHundredFiftySixSchedulerTags() {
        TagSet set = TagSet.builder(new Inline()).queueDepth(1024).build();
        GenDisk disk = disk(set, "elv1");
        try {
            disk.setScheduler("mq-deadline");
            assertEquals(256, disk.nrRequests());
            disk.setNrRequests(2);
            assertEquals(4, disk.nrRequests(), "raised to BLKDEV_MIN_RQ");
            assertThrows(IllegalArgumentException.class, () -> disk.setNrRequests(4096));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void dispatchIsSortedBySectorThroughTheDisk() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).queueDepth(64).build();
        GenDisk disk = disk(set, "elv2");
        try (SwQueue q = disk.openQueue()) {
            disk.setScheduler("mq-deadline");
            HwQueue h = disk.hwQueue(0);
            h.stop(); // requests wait in the scheduler
            long[] sectors = {4096, 8, 2048, 512, 1024};
            Done[] done = new Done[sectors.length];
            for (int i = 0; i < sectors.length; i++) {
                done[i] = new Done();
                q.submitBio(read(sectors[i], 4096, done[i]));
            }
            String fifo = disk.debugfs().get("sched/read1_fifo_list");
            assertEquals(sectors.length, fifo.lines().count(), fifo);
            assertTrue(fifo.contains(".internal_tag="), fifo);
            assertEquals("nr_tags=128\nbusy=5\n", disk.debugfs().get("hctx0/sched_tags"));
            h.startStopped(false);
            List<Long> order = new ArrayList<>();
            List<Request> taken = new ArrayList<>();
            for (int i = 0; i < sectors.length; i++) {
                taken.add(drv.take());
                order.add(taken.get(i).sector());
            }
            assertEquals(List.of(8L, 512L, 1024L, 2048L, 4096L), order);
            for (Request r : taken) {
                BlkMq.endRequest(r, BlkStatus.OK);
            }
            for (Done d : done) {
                assertEquals(BlkStatus.OK, d.await().status);
                assertEquals(1, d.calls.get());
            }
            awaitTagsFree(disk);
            assertEquals("nr_tags=128\nbusy=0\n", disk.debugfs().get("hctx0/sched_tags"));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void nrRequestsLimitsTheDepthAndWritesGetThreeQuarters() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).queueDepth(64).build();
        GenDisk disk = disk(set, "elv3");
        try (SwQueue q = disk.openQueue()) {
            disk.setScheduler("mq-deadline");
            disk.setNrRequests(8);
            assertEquals(8, submitNowait(q, ReqOp.READ, 20), "reads may use all 8 scheduler tags");
            assertEquals(8, drv.endAll(BlkStatus.OK) + endRest(drv, 8 - drv.calls.get()));
            awaitTagsFree(disk);
            drv.calls.set(0);
            assertEquals(6, submitNowait(q, ReqOp.WRITE, 20), "async_depth = 3/4 of nr_requests");
            awaitTrue("6 writes in the driver", () -> drv.held.size() == 6);
            drv.endAll(BlkStatus.OK);
            awaitTagsFree(disk);
        } finally {
            closeQuietly(set, disk);
        }
    }

    private static int endRest(Holding drv, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            BlkMq.endRequest(drv.take(), BlkStatus.OK);
        }
        return n;
    }

    /** Submits {@code n} NOWAIT bios; returns how many were accepted (the others completed with AGAIN). */
    private static int submitNowait(SwQueue q, ReqOp op, int n) {
        AtomicInteger again = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            Bio b = (op == ReqOp.READ ? read(i * 8L, 4096, bio -> {
                if (bio.status() == BlkStatus.AGAIN) {
                    again.incrementAndGet();
                }
            }) : write(i * 8L, 4096, bio -> {
                if (bio.status() == BlkStatus.AGAIN) {
                    again.incrementAndGet();
                }
            }));
            q.submitBio(b.flags(ReqFlags.NOWAIT));
        }
        return n - again.get();
    }

    @Test
    void liveSwitchUnderIoLosesAndDoublesNothing() throws Exception {
        TagSet set = TagSet.builder(new Softirq()).queueDepth(16).build();
        GenDisk disk = disk(set, "elv4");
        try {
            IoLoad load = new IoLoad(disk).start();
            for (int i = 0; i < 20; i++) {
                disk.setScheduler(i % 2 == 0 ? "mq-deadline" : "none");
                Thread.sleep(5);
                disk.setNrRequests(i % 2 == 0 ? 4 + i : 16);
            }
            load.stopAndVerify();
            awaitTagsFree(disk);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void aRequeuedRequestGoesBackThroughTheScheduler() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BlkMqOps drv = (hctx, rq, last) -> {
            BlkMq.startRequest(rq);
            if (calls.getAndIncrement() == 0) {
                BlkMq.requeueRequest(rq, true);
            } else {
                BlkMq.endRequest(rq, BlkStatus.OK);
            }
            return BlkStatus.OK;
        };
        TagSet set = TagSet.builder(drv).queueDepth(16).build();
        GenDisk disk = disk(set, "elv5");
        try (SwQueue q = disk.openQueue()) {
            disk.setScheduler("mq-deadline");
            Done d = readOk(q, 64);
            assertEquals(1, d.calls.get());
            assertEquals(2, calls.get());
            awaitTagsFree(disk);
            assertEquals("0 0 0\n", disk.debugfs().get("sched/queued"));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void resourceMakesTheQueueBusyAndItRecovers() throws Exception {
        AtomicInteger bounces = new AtomicInteger(3);
        BlkMqOps drv = (hctx, rq, last) -> {
            if (bounces.getAndDecrement() > 0) {
                return BlkStatus.RESOURCE;
            }
            BlkMq.startRequest(rq);
            BlkMq.endRequest(rq, BlkStatus.OK);
            return BlkStatus.OK;
        };
        TagSet set = TagSet.builder(drv).queueDepth(16).build();
        GenDisk disk = disk(set, "elv6");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(write(8, 4096, d));
            d.await();
            assertEquals(BlkStatus.OK, d.status);
            // three busy samples: 16/8 = 2, then (2*7+16)/8 = 3, (3*7+16)/8 = 4; OKs decay it
            assertTrue(disk.hwQueue(0).busyReturns.get() >= 3);
            for (int i = 0; i < 20; i++) {
                readOk(q, i * 8L);
            }
            assertEquals(0, disk.hwQueue(0).dispatchBusy(), "the EWMA decays to 0 on success");
            assertEquals("0\n", disk.debugfs().get("hctx0/dispatch_busy"));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void theEwmaFollowsTheKernelsFormula() {
        TagSet set = TagSet.builder(new Inline()).build();
        GenDisk disk = disk(set, "elv7");
        try {
            HwQueue h = disk.hwQueue(0);
            h.updateDispatchBusy(true);
            assertEquals(2, h.dispatchBusy());
            h.updateDispatchBusy(true);
            assertEquals(3, h.dispatchBusy());
            h.updateDispatchBusy(false);
            assertEquals(2, h.dispatchBusy(), "(3 * 7) / 8");
            h.updateDispatchBusy(false);
            assertEquals(1, h.dispatchBusy());
            h.updateDispatchBusy(false);
            assertEquals(0, h.dispatchBusy());
        } finally {
            closeQuietly(set, disk);
        }
    }
}
