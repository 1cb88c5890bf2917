package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A raw driver that throws: the request is ended once with IOERR, the tag is freed, the disk serves on. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DriverExceptionTest {

    enum Mode { THROW_BEFORE_START, THROW_AFTER_START, THROW_AFTER_END, OK }

    static final class Throwing implements BlkMqOps {
        volatile Mode mode = Mode.OK;
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            calls.incrementAndGet();
            switch (mode) {
                case THROW_BEFORE_START:
                    throw new IllegalStateException("driver bug before start");
                case THROW_AFTER_START:
                    BlkMq.startRequest(rq);
                    throw new IllegalStateException("driver bug after start");
                case THROW_AFTER_END:
                    BlkMq.startRequest(rq);
                    BlkMq.endRequest(rq, BlkStatus.OK);
                    throw new IllegalStateException("driver bug after end");
                default:
                    BlkMq.startRequest(rq);
                    BlkMq.endRequest(rq, BlkStatus.OK);
                    return BlkStatus.OK;
            }
        }
    }

    @Test
    void queueRqThrowing() throws Exception {
        Throwing drv = new Throwing();
        TagSet set = TagSet.builder(drv).queueDepth(2).build();
        GenDisk disk = disk(set, "ex0");
        try (SwQueue q = disk.openQueue()) {
            for (Mode m : new Mode[] {Mode.THROW_BEFORE_START, Mode.THROW_AFTER_START}) {
                for (int i = 0; i < 5; i++) { // more than the depth: a leaked tag would block here
                    drv.mode = m;
                    Done d = new Done();
                    q.submitBio(write(0, 4096, d));
                    assertTrue(d.done());
                    assertEquals(BlkStatus.IOERR, d.status, m.toString());
                    assertEquals(1, d.calls.get());
                    assertEquals(0, busyTags(disk), "tag freed after " + m);
                }
            }
            drv.mode = Mode.THROW_AFTER_END;
            Done d = new Done();
            q.submitBio(write(0, 4096, d));
            assertEquals(BlkStatus.OK, d.status, "the driver had ended it: its status stands");
            drv.mode = Mode.OK;
            readOk(q, 0);
            assertEquals(0, busyTags(disk));
            assertEquals(1, d.calls.get(), "not completed a second time");
        } finally {
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().leaked().isEmpty());
    }

    @Test
    void queueRqThrowingInAPluggedBatch() throws Exception {
        Throwing drv = new Throwing();
        TagSet set = TagSet.builder(drv).queueDepth(8).build();
        GenDisk disk = disk(set, "ex1");
        try (SwQueue q = disk.openQueue()) {
            drv.mode = Mode.THROW_AFTER_START;
            Done[] done = new Done[4];
            q.startPlug();
            for (int i = 0; i < done.length; i++) {
                done[i] = new Done();
                q.submitBio(read(i * 8L, 4096, done[i]));
            }
            q.finishPlug();
            for (Done d : done) {
                assertEquals(BlkStatus.IOERR, d.await().status);
                assertEquals(1, d.calls.get());
            }
            assertEquals(0, busyTags(disk));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void completeThrowing() throws Exception {
        AtomicInteger completeCalls = new AtomicInteger();
        BlkMqOps drv = new Softirq() {
            @Override
            public void complete(Request rq) {
                completeCalls.incrementAndGet();
                if (rq.sector() == 8) {
                    BlkMq.endRequest(rq, BlkStatus.OK);
                }
                if (rq.sector() != 16) {
                    throw new IllegalStateException("driver bug in complete");
                }
                BlkMq.endRequest(rq, BlkStatus.OK);
            }
        };
        TagSet set = TagSet.builder(drv).queueDepth(2).build();
        GenDisk disk = disk(set, "ex2");
        try (SwQueue q = disk.openQueue()) {
            for (int i = 0; i < 4; i++) {
                Done d = new Done();
                q.submitBio(read(0, 4096, d));
                assertEquals(BlkStatus.IOERR, d.await().status, "complete() threw before ending");
                awaitTagsFree(disk);
            }
            Done ended = new Done();
            q.submitBio(read(8, 4096, ended));
            assertEquals(BlkStatus.OK, ended.await().status, "complete() ended it, then threw");
            Done ok = new Done();
            q.submitBio(read(16, 4096, ok));
            assertEquals(BlkStatus.OK, ok.await().status);
            awaitTagsFree(disk);
            assertEquals(1, ended.calls.get());
            assertTrue(disk.hwQueue(0).softirq().thread.isAlive(), "the softirq context survived");
        } finally {
            closeQuietly(set, disk);
        }
        assertEquals(6, completeCalls.get());
    }

    @Test
    void timeoutThrowingIsTreatedAsResetTimer() throws Exception {
        CountDownLatch twice = new CountDownLatch(2);
        Holding drv = new Holding() {
            @Override
            public EhTimerReturn timeout(Request rq) {
                twice.countDown();
                throw new IllegalStateException("driver bug in timeout");
            }
        };
        TagSet set = TagSet.builder(drv).queueDepth(4).timeout(ms(50)).build();
        GenDisk disk = disk(set, "ex3");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            Request rq = drv.take();
            assertTrue(twice.await(WAIT_S, TimeUnit.SECONDS), "the timer was re-armed after the exception");
            assertFalse(d.done());
            BlkMq.endRequest(rq, BlkStatus.OK);
            assertEquals(BlkStatus.OK, d.await().status);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void bioCallbackThrowingDoesNotBreakTheQueue() throws Exception {
        Softirq drv = new Softirq();
        TagSet set = TagSet.builder(drv).queueDepth(2).build();
        GenDisk disk = disk(set, "ex4");
        try (SwQueue q = disk.openQueue()) {
            for (int i = 0; i < 5; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                q.submitBio(read(0, 4096, b -> {
                    ran.countDown();
                    throw new IllegalStateException("submitter bug in end_io");
                }));
                assertTrue(ran.await(WAIT_S, TimeUnit.SECONDS));
            }
            awaitTagsFree(disk);
            readOk(q, 0);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void initRequestFailureFailsTheTagSetBuild() {
        AtomicInteger exits = new AtomicInteger();
        BlkMqOps drv = new Inline() {
            @Override
            public Object initRequest(TagSet set, Request rq, int hctxIdx) {
                if (rq.tag() == 5) {
                    throw new IllegalStateException("out of pdu memory");
                }
                return new int[1];
            }

            @Override
            public void exitRequest(TagSet set, Request rq, int hctxIdx) {
                exits.incrementAndGet();
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TagSet.builder(drv).queueDepth(8).build());
        assertTrue(e.getMessage().contains("initRequest"), e.getMessage());
        assertEquals(5, exits.get(), "the PDUs built before the failure are released");
    }
    @Test
    void initHctxFailureFailsTheDiskBuildAndUndoesIt() throws Exception {
        Set<String> live = ConcurrentHashMap.newKeySet();
        BlkMqOps drv = new Inline() {
            @Override
            public Object initHctx(HwQueue hctx, int hctxIdx) {
                if (hctxIdx == 1 && hctx.disk().name().equals("ex5bad")) {
                    throw new IllegalStateException("queue 1 unavailable");
                }
                live.add(hctx.disk().name() + "/" + hctxIdx);
                return null;
            }

            @Override
            public void exitHctx(HwQueue hctx, int hctxIdx) {
                live.remove(hctx.disk().name() + "/" + hctxIdx);
            }
        };
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrCpuIds(2).build();
        GenDisk good = disk(set, "ex5");
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> disk(set, "ex5bad"));
            assertTrue(e.getMessage().contains("initHctx"), e.getMessage());
            assertEquals(Set.of("ex5/0", "ex5/1"), live, "the failed disk's hctx0 was exited again");
            assertEquals(1, set.nrQueues(), "the failed disk is not attached");
            assertFalse(good.isFrozen(), "the other disk is unfrozen again");
            assertFalse(set.flags().contains(TagSetFlag.TAG_QUEUE_SHARED));
            try (SwQueue q = good.openQueue()) {
                readOk(q, 0);
            }
        } finally {
            closeQuietly(set, good);
        }
    }
}
