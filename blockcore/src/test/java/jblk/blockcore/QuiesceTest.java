package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Quiesce (no queueRq runs while quiesced) and stopping hw queues. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QuiesceTest {

    /** Ends inline; trips {@code called} on the first queueRq. */
    static final class Watched extends Inline {
        final CountDownLatch called = new CountDownLatch(1);

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            called.countDown();
            return super.queueRq(hctx, rq, last);
        }
    }

    @Test
    void noQueueRqWhileQuiescedThenHeldBiosRun() throws Exception {
        Watched drv = new Watched();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "qs0");
        List<Throwable> err = new ArrayList<>();
        Done[] done = new Done[5];
        try {
            disk.quiesce();
            assertTrue(disk.isQuiesced());
            assertTrue(disk.debugfs().get("state").contains("QUIESCED"));
            CountDownLatch submitted = new CountDownLatch(1);
            Thread t = start("submitter", () -> {
                try (SwQueue q = disk.openQueue()) {
                    for (int i = 0; i < done.length; i++) {
                        done[i] = new Done();
                        q.submitBio(read(i * 8L, 4096, done[i]));
                    }
                    submitted.countDown();
                    for (Done d : done) {
                        d.await();
                    }
                }
            }, err);
            assertTrue(submitted.await(WAIT_S, TimeUnit.SECONDS), "submitBio does not block on a quiesced queue");
            assertFalse(drv.called.await(QUIET_MS, TimeUnit.MILLISECONDS), "queueRq ran while quiesced");
            assertEquals(0, drv.calls.get());
            for (Done d : done) {
                assertFalse(d.done());
            }
            disk.unquiesce();
            assertFalse(disk.isQuiesced());
            join(t);
            noErrors(err);
            for (Done d : done) {
                assertEquals(BlkStatus.OK, d.status);
                assertEquals(1, d.calls.get());
            }
            assertEquals(5, drv.calls.get());
            awaitTagsFree(disk);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void quiesceWaitsForARunningQueueRq() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        BlkMqOps drv = new BlkMqOps() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                calls.incrementAndGet();
                entered.countDown();
                try {
                    release.await(WAIT_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                BlkMq.startRequest(rq);
                BlkMq.endRequest(rq, BlkStatus.OK);
                return BlkStatus.OK;
            }
        };
        TagSet set = set(drv);
        GenDisk disk = disk(set, "qs1");
        List<Throwable> err = new ArrayList<>();
        try {
            Done first = new Done();
            Thread s = start("submitter", () -> {
                try (SwQueue q = disk.openQueue()) {
                    q.submitBio(read(0, 4096, first));
                }
            }, err);
            assertTrue(entered.await(WAIT_S, TimeUnit.SECONDS));
            CountDownLatch quiesced = new CountDownLatch(1);
            Thread qt = start("quiescer", () -> {
                disk.quiesce();
                quiesced.countDown();
            }, err);
            assertFalse(quiesced.await(QUIET_MS, TimeUnit.MILLISECONDS),
                    "quiesce returned while a queueRq was still running");
            release.countDown();
            assertTrue(quiesced.await(WAIT_S, TimeUnit.SECONDS));
            join(qt);
            join(s);
            first.await();
            // now quiesced: a new bio waits
            try (SwQueue q = disk.openQueue()) {
                Done second = new Done();
                q.submitBio(read(8, 4096, second));
                assertTrue(second.staysPending());
                assertEquals(1, calls.get());
                disk.unquiesce();
                assertEquals(BlkStatus.OK, second.await().status);
            }
            noErrors(err);
        } finally {
            release.countDown();
            closeQuietly(set, disk);
        }
    }

    @Test
    void plugFlushedWhileQuiescedWaits() throws Exception {
        Inline drv = new Inline() {
            @Override
            public void queueRqs(RequestList rqs) {
                throw new AssertionError("queueRqs while quiesced");
            }
        };
        TagSet set = set(drv);
        GenDisk disk = disk(set, "qs2");
        try (SwQueue q = disk.openQueue()) {
            Done[] done = {new Done(), new Done(), new Done()};
            q.startPlug();
            for (int i = 0; i < done.length; i++) {
                q.submitBio(write(i * 8L, 4096, done[i]));
            }
            disk.quiesce();
            q.finishPlug();
            assertTrue(done[0].staysPending());
            assertEquals(0, drv.calls.get());
            disk.unquiesce();
            for (Done d : done) {
                assertEquals(BlkStatus.OK, d.await().status);
            }
            assertEquals(3, drv.calls.get());
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void nestedQuiesceAndUnbalancedUnquiesce() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "qs3");
        try (SwQueue q = disk.openQueue()) {
            assertThrows(IllegalStateException.class, disk::unquiesce);
            disk.quiesce();
            disk.quiesce();
            disk.unquiesce();
            assertTrue(disk.isQuiesced(), "quiesce nests");
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            assertTrue(d.staysPending());
            disk.unquiesce();
            assertEquals(BlkStatus.OK, d.await().status);
            readOk(q, 8);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void stoppedHwQueueDispatchesNothingUntilStarted() throws Exception {
        Watched drv = new Watched();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "qs4");
        try (SwQueue q = disk.openQueue()) {
            BlkMq.stopHwQueues(disk);
            assertTrue(disk.hwQueue(0).isStopped());
            assertTrue(disk.debugfs().get("hctx0/state").contains("STOPPED"));
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            assertFalse(drv.called.await(QUIET_MS, TimeUnit.MILLISECONDS), "queueRq ran on a stopped queue");
            BlkMq.runHwQueues(disk, false);
            assertEquals(0, drv.calls.get(), "running a stopped queue does nothing");
            BlkMq.startStoppedHwQueues(disk, true);
            assertEquals(BlkStatus.OK, d.await().status);
            assertFalse(disk.hwQueue(0).isStopped());
            readOk(q, 8);
        } finally {
            closeQuietly(set, disk);
        }
    }
    /** Quiesce/unquiesce 100 times while two threads submit: no queueRq between quiesce() and unquiesce(). */
    @Test
    void noQueueRqWhileQuiescedUnderLoad() throws Exception {
        AtomicBoolean quiesced = new AtomicBoolean();
        AtomicInteger violations = new AtomicInteger();
        Softirq drv = new Softirq() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                if (quiesced.get()) {
                    violations.incrementAndGet();
                }
                return super.queueRq(hctx, rq, last);
            }
        };
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrCpuIds(2).queueDepth(8).build();
        GenDisk disk = disk(set, "qs5");
        IoLoad load = new IoLoad(disk).start();
        try {
            awaitTrue("I/O running", () -> load.completed.get() > 1000);
            for (int i = 0; i < 100; i++) {
                disk.quiesce();
                quiesced.set(true);
                long until = System.nanoTime() + 300_000;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                quiesced.set(false);
                disk.unquiesce();
                long done = load.completed.get();
                awaitTrue("I/O resumes after unquiesce", () -> load.completed.get() > done);
            }
            load.stopAndVerify();
            assertEquals(0, violations.get(), "queueRq calls while quiesced");
        } finally {
            load.stop.set(true);
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().leaked().isEmpty());
    }
}
