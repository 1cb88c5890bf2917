package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One tag set for two disks: each active disk is limited to its fair share of the tags. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedTagsTest {
    static final long HOLD_SECTOR = 4096;

    /** Holds every request of disk "shA", and B's request at HOLD_SECTOR; ends the rest inline. */
    static final class PerDisk implements BlkMqOps {
        final LinkedBlockingQueue<Request> held = new LinkedBlockingQueue<>();
        final AtomicInteger aIssued = new AtomicInteger();
        volatile boolean release;

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            BlkMq.startRequest(rq);
            boolean isA = rq.disk().name().equals("shA");
            if (isA) {
                aIssued.incrementAndGet();
            }
            if (!release && (isA || rq.sector() == HOLD_SECTOR)) {
                held.add(rq);
            } else {
                BlkMq.endRequest(rq, BlkStatus.OK);
            }
            return BlkStatus.OK;
        }
    }

    @Test
    void greedyDiskIsLimitedToItsShare() throws Exception {
        PerDisk drv = new PerDisk();
        TagSet set = TagSet.builder(drv).queueDepth(16).build();
        GenDisk a = disk(set, "shA");
        GenDisk b = disk(set, "shB");
        List<Throwable> err = new ArrayList<>();
        int aBios = 12;
        Done[] aDone = new Done[aBios];
        AtomicInteger aSubmitted = new AtomicInteger();
        try (SwQueue qb = b.openQueue()) {
            assertTrue(set.flags().contains(TagSetFlag.TAG_QUEUE_SHARED), "two disks share the set");
            assertSame(a.hwQueue(0).tags(), b.hwQueue(0).tags(), "one tag space for both disks");
            // B becomes an active user and stays one (it keeps a request in flight)
            Done bHeld = new Done();
            qb.submitBio(read(HOLD_SECTOR, 4096, bHeld));
            awaitTrue("B's request reached the driver", () -> drv.held.size() == 1);

            Thread ta = start("submitter-A", () -> {
                try (SwQueue qa = a.openQueue()) {
                    for (int i = 0; i < aBios; i++) {
                        aDone[i] = new Done();
                        qa.submitBio(read(i * 8L, 4096, aDone[i]));
                        aSubmitted.incrementAndGet();
                    }
                }
            }, err);
            // A gets ceil(16 / 2) = 8 tags, then waits at its share
            awaitTrue("A reached its share", () -> drv.aIssued.get() == 8);
            assertTrue(neverWithinQuietPeriod(() -> drv.aIssued.get() > 8 || aSubmitted.get() > 8),
                    "A's 9th submission must wait at the share");

            // B still gets tags and completes 100 bios
            for (int i = 0; i < 100; i++) {
                readOk(qb, i * 8L);
            }
            assertEquals(8, drv.aIssued.get(), "A stayed at its fair share while B ran");
            assertEquals(8, aSubmitted.get(), "A's submitter is blocked at the share");
            assertTrue(ta.isAlive());
            noErrors(err);

            // release everything: A's waiting submissions go through
            drv.release = true;
            List<Request> l = new ArrayList<>();
            drv.held.drainTo(l);
            for (Request r : l) {
                BlkMq.endRequest(r, BlkStatus.OK);
            }
            join(ta);
            noErrors(err);
            for (Done d : aDone) {
                assertEquals(BlkStatus.OK, d.await().status);
            }
            assertEquals(BlkStatus.OK, bHeld.await().status);
            assertEquals(aBios, drv.aIssued.get());
            awaitTagsFree(a);
        } finally {
            drv.release = true;
            List<Request> l = new ArrayList<>();
            drv.held.drainTo(l);
            for (Request r : l) {
                BlkMq.endRequest(r, BlkStatus.OK);
            }
            closeQuietly(set, a, b);
        }
        assertTrue(a.closeReport().leaked().isEmpty());
        assertTrue(b.closeReport().leaked().isEmpty());
    }

    @Test
    void sharedFlagFollowsTheNumberOfDisks() throws Exception {
        Inline drv = new Inline();
        TagSet set = TagSet.builder(drv).queueDepth(16).build();
        GenDisk a = disk(set, "shC");
        GenDisk b = null;
        try {
            assertFalse(set.flags().contains(TagSetFlag.TAG_QUEUE_SHARED));
            assertEquals(1, set.nrQueues());
            b = disk(set, "shD");
            assertTrue(set.flags().contains(TagSetFlag.TAG_QUEUE_SHARED));
            assertEquals(2, set.nrQueues());
            try (SwQueue qa = a.openQueue(); SwQueue qb = b.openQueue()) {
                for (int i = 0; i < 50; i++) {
                    readOk(qa, i * 8L);
                    readOk(qb, i * 8L);
                }
            }
            b.close();
            assertFalse(set.flags().contains(TagSetFlag.TAG_QUEUE_SHARED));
            try (SwQueue qa = a.openQueue()) {
                readOk(qa, 0);
            }
        } finally {
            closeQuietly(set, a, b);
        }
    }

    @Test
    void alone_aDiskMayUseEveryTag() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).queueDepth(16).build();
        GenDisk a = disk(set, "shE");
        try (SwQueue q = a.openQueue()) {
            Done[] done = new Done[16];
            for (int i = 0; i < 16; i++) {
                done[i] = new Done();
                q.submitBio(read(i * 8L, 4096, done[i]));
            }
            assertEquals(16, drv.held.size());
            assertEquals(16, a.hwQueue(0).tags().busy());
            drv.endAll(BlkStatus.OK);
            for (Done d : done) {
                d.await();
            }
        } finally {
            closeQuietly(set, a);
        }
    }

    @Test
    void reservedTagsAreNotUsedForNormalIo() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).queueDepth(8).reservedTags(2).build();
        GenDisk d = disk(set, "shF");
        List<Throwable> err = new ArrayList<>();
        try {
            Done[] done = new Done[7];
            Thread t = start("submitter", () -> {
                try (SwQueue q = d.openQueue()) {
                    for (int i = 0; i < done.length; i++) {
                        done[i] = new Done();
                        q.submitBio(read(i * 8L, 4096, done[i]));
                    }
                }
            }, err);
            awaitTrue("six requests issued", () -> drv.held.size() == 6);
            assertTrue(neverWithinQuietPeriod(() -> drv.held.size() > 6), "the 7th waits: 2 of 8 tags are reserved");
            for (Request r : drv.held) {
                assertTrue(r.tag() >= 2, "normal I/O got reserved tag " + r.tag());
            }
            drv.passThrough = true;
            drv.endAll(BlkStatus.OK);
            join(t);
            for (Done x : done) {
                assertEquals(BlkStatus.OK, x.await().status);
            }
            noErrors(err);
        } finally {
            closeQuietly(set, d);
        }
    }
    @Test
    void hctxSharedTagSpaceIsOneBudgetForAllQueues() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrCpuIds(2).queueDepth(8)
                .flag(TagSetFlag.TAG_HCTX_SHARED).build();
        GenDisk d = disk(set, "shG");
        List<Throwable> err = new ArrayList<>();
        try (SwQueue q0 = d.openQueue(); SwQueue q1 = d.openQueue()) {
            assertSame(d.hwQueue(0).tags(), d.hwQueue(1).tags(), "one tag space for both hctxs");
            assertEquals(0, q0.hctx(HctxType.DEFAULT).queueNum());
            assertEquals(1, q1.hctx(HctxType.DEFAULT).queueNum());
            Done[] done = new Done[9];
            for (int i = 0; i < 4; i++) {
                done[i] = new Done();
                q0.submitBio(read(i * 8L, 4096, done[i]));
                done[4 + i] = new Done();
                q1.submitBio(read(64 + i * 8L, 4096, done[4 + i]));
            }
            assertEquals(8, drv.held.size());
            assertEquals(8, d.hwQueue(0).tags().busy());
            assertEquals(4, d.debugfs().get("hctx0/busy").lines().count());
            assertEquals(4, d.debugfs().get("hctx1/busy").lines().count());
            done[8] = new Done();
            Thread t = start("ninth", () -> {
                try (SwQueue q = d.openQueue()) {
                    q.submitBio(read(512, 4096, done[8]));
                }
            }, err);
            assertTrue(neverWithinQuietPeriod(() -> drv.held.size() > 8), "the shared space is full");
            BlkMq.endRequest(drv.take(), BlkStatus.OK);
            awaitTrue("the ninth got the freed tag", () -> drv.held.size() == 8);
            join(t);
            drv.endAll(BlkStatus.OK);
            for (Done x : done) {
                assertEquals(BlkStatus.OK, x.await().status);
            }
            noErrors(err);
            awaitTagsFree(d);
        } finally {
            drv.endAll(BlkStatus.OK);
            closeQuietly(set, d);
        }
    }
    /**
     * A disk that closes gives its share back (the kernel's blk_mq_exit_hctx calls blk_mq_tag_idle):
     * afterwards only the disks still using the set count as active users of the tags.
     */
    @Test
    void closedDiskIsNoLongerAnActiveTagUser() throws Exception {
        closedDiskGivesItsShareBack(true);
    }

    /** The consequence: with A and a new disk C active, A's share is ceil(16 / 2) = 8, not ceil(16 / 3). */
    @Test
    void closedDiskDoesNotShrinkTheOthersShare() throws Exception {
        closedDiskGivesItsShareBack(false);
    }

    private void closedDiskGivesItsShareBack(boolean split) throws Exception {
        PerDisk drv = new PerDisk();
        TagSet set = TagSet.builder(drv).queueDepth(16).build();
        GenDisk a = disk(set, "shA");
        GenDisk b = disk(set, "shB");
        GenDisk c = null;
        List<Throwable> err = new ArrayList<>();
        try {
            try (SwQueue qb = b.openQueue()) {
                readOk(qb, 0); // B becomes an active user of the tags
            }
            b.close();
            if (split) {
                assertTrue(a.debugfs().get("hctx0/tags").contains("active_queues=0\n"),
                        "B is gone: it must not count as an active user: " + a.debugfs().get("hctx0/tags"));
                return;
            }
            // the consequence: with A and a new disk C active, A's share is ceil(16 / 2) = 8, not 16 / 3
            c = GenDisk.builder(set).name("shC").capacitySectors(1 << 16).build();
            GenDisk cc = c;
            try (SwQueue qc = cc.openQueue()) {
                qc.submitBio(read(HOLD_SECTOR, 4096, new Done())); // C stays active: one request held
                awaitTrue("C's request held", () -> drv.held.size() == 1);
                Thread ta = start("submitter-A", () -> {
                    try (SwQueue qa = a.openQueue()) {
                        for (int i = 0; i < 10; i++) {
                            qa.submitBio(read(i * 8L, 4096, new Done()));
                        }
                    }
                }, err);
                awaitTrue("A issued some", () -> drv.aIssued.get() >= 6);
                neverWithinQuietPeriod(() -> drv.aIssued.get() > 8);
                assertEquals(8, drv.aIssued.get(), "A's fair share with two active disks");
                drv.release = true;
                List<Request> l = new ArrayList<>();
                drv.held.drainTo(l);
                for (Request r : l) {
                    BlkMq.endRequest(r, BlkStatus.OK);
                }
                join(ta);
                noErrors(err);
            }
        } finally {
            drv.release = true;
            List<Request> l = new ArrayList<>();
            drv.held.drainTo(l);
            for (Request r : l) {
                BlkMq.endRequest(r, BlkStatus.OK);
            }
            closeQuietly(set, a, b, c);
        }
    }
}
