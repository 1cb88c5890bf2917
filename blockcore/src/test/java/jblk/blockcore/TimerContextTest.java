package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timer (hrtimer) completion context and the softirq context: threads, order, completion. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimerContextTest {

    /** Completes every request through the timer after {@code delayOf(rq)} ns. */
    static class Timed implements BlkMqOps {
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<Long> order = new CopyOnWriteArrayList<>();

        long delayOf(Request rq) {
            return 10_000;
        }

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            BlkMq.startRequest(rq);
            BlkMq.completeRequestAfter(rq, delayOf(rq));
            return BlkStatus.OK;
        }

        @Override
        public void complete(Request rq) {
            threads.add(Thread.currentThread().getName());
            order.add(rq.sector());
            assertEquals(RequestState.IN_FLIGHT, rq.state(), "the request stays in flight until the timer fires");
            BlkMq.endRequest(rq, BlkStatus.OK);
        }
    }

    @Test
    void completesOnTheQueuesTimerThread() throws Exception {
        Timed drv = new Timed();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "tm0");
        try (SwQueue q = disk.openQueue()) {
            Done d = readOk(q, 0);
            assertEquals(List.of("jblk-tm0-timer-0"), drv.threads);
            assertEquals("jblk-tm0-timer-0", d.thread);
            for (int i = 0; i < 100; i++) {
                readOk(q, i * 8L);
            }
            assertEquals(101, drv.order.size());
            awaitTagsFree(disk);
        } finally {
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().leaked().isEmpty());
    }

    @Test
    void timersFireInDeadlineOrder() throws Exception {
        long base = System.nanoTime() + 300_000_000L;
        Timed drv = new Timed() {
            @Override
            long delayOf(Request rq) {
                // sector 0 fires last, sector 16 first, whatever the submission order
                long offsetMs = rq.sector() == 0 ? 120 : rq.sector() == 8 ? 60 : 0;
                return base + offsetMs * 1_000_000L - System.nanoTime();
            }
        };
        TagSet set = set(drv);
        GenDisk disk = disk(set, "tm1");
        try (SwQueue q = disk.openQueue()) {
            Done[] done = {new Done(), new Done(), new Done()};
            for (int i = 0; i < 3; i++) {
                q.submitBio(read(i * 8L, 4096, done[i]));
            }
            for (Done d : done) {
                assertEquals(BlkStatus.OK, d.await().status);
            }
            assertEquals(List.of(16L, 8L, 0L), drv.order);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void softirqCompletionRunsOnTheQueuesSoftirqThread() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        Softirq drv = new Softirq() {
            @Override
            public void complete(Request rq) {
                threads.add(Thread.currentThread().getName());
                assertEquals(RequestState.COMPLETE, rq.state(), "completeRequest marks the request COMPLETE");
                super.complete(rq);
            }
        };
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrCpuIds(2).build();
        GenDisk disk = disk(set, "tm2");
        try (SwQueue q0 = disk.openQueue(); SwQueue q1 = disk.openQueue()) {
            assertEquals(0, q0.hctx(HctxType.DEFAULT).queueNum());
            assertEquals(1, q1.hctx(HctxType.DEFAULT).queueNum());
            readOk(q0, 0);
            readOk(q1, 0);
            assertEquals(List.of("jblk-tm2-softirq-0", "jblk-tm2-softirq-1"), threads);
            assertTrue(disk.hwQueue(0).softirq().thread.isDaemon());
        } finally {
            closeQuietly(set, disk);
        }
        assertFalse(disk.hwQueue(0).softirq().thread.isAlive(), "close stops the softirq threads");
    }

    @Test
    void completeRequestWithoutCompleteCallbackIsRefused() throws Exception {
        Holding drv = new Holding();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "tm3");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            Request rq = drv.take();
            assertThrows(IllegalStateException.class, () -> BlkMq.completeRequest(rq));
            assertThrows(IllegalStateException.class, () -> BlkMq.completeRequestAfter(rq, 1000));
            BlkMq.endRequest(rq, BlkStatus.OK);
            assertEquals(BlkStatus.OK, d.await().status);
        } finally {
            closeQuietly(set, disk);
        }
    }
}
