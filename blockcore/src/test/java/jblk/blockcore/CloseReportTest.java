package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing a disk: bounded drain, a report of every request the driver never ended, threads stopped. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CloseReportTest {

    /** Never ends the WRITE at sector 1234; ends everything else inline. */
    static final class LeaksOne extends Holding {
        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            passThrough = !(rq.op() == ReqOp.WRITE && rq.sector() == 1234);
            return super.queueRq(hctx, rq, last);
        }
    }

    private static List<Thread> threadsOf(String disk) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("jblk-" + disk + "-") && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    void leakedRequestIsReported() throws Exception {
        LeaksOne drv = new LeaksOne();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("cl0").capacitySectors(1 << 16).closeTimeout(ms(200)).build();
        List<CloseReport> heard = new CopyOnWriteArrayList<>();
        disk.addCloseListener(heard::add);
        Request leaked;
        try (SwQueue q = disk.openQueue()) {
            readOk(q, 0);
            Done never = new Done();
            q.submitBio(write(1234, 8192, never));
            leaked = drv.take();
            readOk(q, 8);
            assertNull(disk.closeReport(), "no report while open");
            assertFalse(threadsOf("cl0").isEmpty());
            for (Thread t : threadsOf("cl0")) {
                assertTrue(t.isDaemon(), t.getName() + " is a daemon");
            }
        }
        long t0 = System.nanoTime();
        disk.close();
        long closeMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(closeMs >= 190, "close waited the close timeout for the drain (" + closeMs + " ms)");
        CloseReport r = disk.closeReport();
        assertNotNull(r);
        assertFalse(r.drained());
        assertEquals("cl0", r.disk());
        assertEquals(1, r.leaked().size(), r.toString());
        CloseReport.Leaked l = r.leaked().get(0);
        assertEquals(leaked.tag(), l.tag());
        assertEquals(ReqOp.WRITE, l.op());
        assertEquals(1234, l.sector());
        assertEquals(8192, l.bytes());
        assertEquals(0, l.hctx());
        assertEquals("in_flight", l.state());
        assertTrue(l.ageMs() >= 0);
        assertTrue(r.toString().contains("tag " + leaked.tag()), r.toString());
        assertTrue(r.toString().contains("sector 1234"), r.toString());
        assertEquals(List.of(r), heard, "listeners get the same report");
        assertTrue(disk.isClosed());
        awaitTrue("the disk's threads stop", () -> threadsOf("cl0").isEmpty());
        set.close();
    }

    @Test
    void cleanDiskReportsNothing() throws Exception {
        Softirq drv = new Softirq();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("cl1").capacitySectors(1 << 16).closeTimeout(ms(200)).build();
        try (SwQueue q = disk.openQueue()) {
            for (int i = 0; i < 100; i++) {
                readOk(q, i * 8L);
            }
        }
        disk.close();
        CloseReport r = disk.closeReport();
        assertTrue(r.drained());
        assertTrue(r.leaked().isEmpty());
        assertTrue(r.toString().contains("closed clean"), r.toString());
        disk.close(); // idempotent
        assertSame(r, disk.closeReport());
        awaitTrue("the disk's threads stop", () -> threadsOf("cl1").isEmpty());
        set.close();
    }

    @Test
    void requestEndedDuringCloseCountsAsDrained() throws Exception {
        Holding drv = new Holding();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("cl2").capacitySectors(1 << 16).closeTimeout(ms(10_000)).build();
        List<Throwable> err = new ArrayList<>();
        Done d = new Done();
        try (SwQueue q = disk.openQueue()) {
            q.submitBio(read(0, 4096, d));
        }
        Request rq = drv.take();
        Thread closer = start("closer", disk::close, err);
        awaitTrue("close started", disk::isClosed);
        assertTrue(disk.isFrozen(), "close freezes the queue first");
        assertNull(disk.closeReport(), "close waits for the drain");
        BlkMq.endRequest(rq, BlkStatus.OK);
        join(closer);
        noErrors(err);
        assertEquals(BlkStatus.OK, d.await().status);
        assertTrue(disk.closeReport().drained());
        assertTrue(disk.closeReport().leaked().isEmpty());
        set.close();
    }

    @Test
    void heldButNotStartedRequestsAreReportedToo() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("cl3").capacitySectors(1 << 16).closeTimeout(ms(100)).build();
        Done d = new Done();
        try (SwQueue q = disk.openQueue()) {
            disk.quiesce(); // the request waits in the block layer, never reaching the driver
            q.submitBio(read(64, 4096, d));
        }
        disk.close();
        CloseReport r = disk.closeReport();
        assertFalse(r.drained());
        assertEquals(1, r.leaked().size(), r.toString());
        assertEquals(64, r.leaked().get(0).sector());
        assertEquals("idle", r.leaked().get(0).state());
        assertEquals(0, drv.calls.get());
        set.close();
    }
    @Test
    void submitterWaitingForATagIsReleasedByClose() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).queueDepth(1).build();
        GenDisk disk = GenDisk.builder(set).name("cl4").capacitySectors(1 << 16).closeTimeout(ms(100)).build();
        List<Throwable> err = new ArrayList<>();
        try (SwQueue q = disk.openQueue()) {
            Done held = new Done();
            q.submitBio(read(0, 4096, held));
            drv.take();
            Done waiting = new Done();
            Thread t = start("waiter", () -> {
                try (SwQueue q2 = disk.openQueue()) {
                    q2.submitBio(read(8, 4096, waiting));
                }
            }, err);
            assertTrue(neverWithinQuietPeriod(waiting::done), "no tag: the second submitter waits");
            disk.close();
            join(t);
            synchronized (err) {
                assertEquals(1, err.size(), "the waiter learns the disk closed: " + err);
                assertTrue(err.get(0) instanceof IllegalStateException, err.get(0).toString());
            }
            assertEquals(0, waiting.calls.get());
            assertEquals(1, disk.closeReport().leaked().size());
        } finally {
            closeQuietly(set, disk);
        }
    }
}
