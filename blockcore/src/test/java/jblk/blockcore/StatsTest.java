package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /sys/block/&lt;dev&gt;/stat (17 fields), inflight, and the iostats switch, after known I/O. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatsTest {
    // field indices of /sys/block/<dev>/stat (Documentation/block/stat.rst)
    static final int READ_IOS = 0, READ_MERGES = 1, READ_SECTORS = 2, READ_TICKS = 3;
    static final int WRITE_IOS = 4, WRITE_MERGES = 5, WRITE_SECTORS = 6, WRITE_TICKS = 7;
    static final int IN_FLIGHT = 8, IO_TICKS = 9, TIME_IN_QUEUE = 10;
    static final int DISCARD_IOS = 11, DISCARD_MERGES = 12, DISCARD_SECTORS = 13, DISCARD_TICKS = 14;
    static final int FLUSH_IOS = 15, FLUSH_TICKS = 16;

    static long[] parse(String stat) {
        assertTrue(stat.endsWith("\n"));
        String[] parts = stat.trim().split(" +");
        assertEquals(17, parts.length, "17 fields: '" + stat + "'");
        long[] f = new long[17];
        for (int i = 0; i < 17; i++) {
            f[i] = Long.parseLong(parts[i]);
        }
        return f;
    }

    static long[] inflight(GenDisk disk) {
        String s = disk.inflight();
        assertTrue(s.endsWith("\n"));
        String[] p = s.trim().split(" +");
        assertEquals(2, p.length, "'reads writes': '" + s + "'");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
    }

    private static void submitWait(SwQueue q, Bio b) throws InterruptedException {
        Done d = new Done();
        b.endIo(d);
        q.submitBio(b);
        assertEquals(BlkStatus.OK, d.await().status, String.valueOf(d.detail));
    }

    @Test
    void readsAndWritesAreCounted() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "st0");
        try (SwQueue q = disk.openQueue()) {
            assertTrue(disk.iostats(), "iostats on by default");
            for (int i = 0; i < 3; i++) {
                submitWait(q, read(i * 8L, 4096, null));
            }
            submitWait(q, write(0, 8192, null));
            submitWait(q, write(100, 512, null));
            awaitTagsFree(disk);
            long[] f = disk.statFields();
            assertEquals(3, f[READ_IOS]);
            assertEquals(24, f[READ_SECTORS]);
            assertEquals(2, f[WRITE_IOS]);
            assertEquals(17, f[WRITE_SECTORS]);
            assertEquals(0, f[READ_MERGES]);
            assertEquals(0, f[WRITE_MERGES]);
            assertEquals(0, f[IN_FLIGHT]);
            assertEquals(0, f[DISCARD_IOS]);
            assertEquals(0, f[FLUSH_IOS]);
            String stat = disk.stat();
            assertArrayEquals(f, parse(stat), "stat() and statFields() agree");
            assertEquals(17 * 8 + 16 + 1, stat.length(), "17 fields of width 8, one space apart: '" + stat + "'");
            assertArrayEquals(new long[] {0, 0}, inflight(disk));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void discardFlushAndWriteZeroesGroups() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("st1").capacitySectors(1 << 16).maxDiscardSectors(1024)
                .maxWriteZeroesSectors(1024).writeCache(true).build();
        try (SwQueue q = disk.openQueue()) {
            submitWait(q, new Bio().set(ReqOp.DISCARD, 0, 4096, null, 0, 0, null));
            submitWait(q, new Bio().set(ReqOp.DISCARD, 64, 65536, null, 0, 0, null));
            submitWait(q, new Bio().set(ReqOp.FLUSH, 0, 0, null, 0, 0, null));
            submitWait(q, new Bio().set(ReqOp.WRITE_ZEROES, 0, 4096, null, 0, 0, null));
            assertEquals(4, drv.calls.get(), "with a write cache the FLUSH reaches the driver");
            long[] f = disk.statFields();
            assertEquals(2, f[DISCARD_IOS]);
            assertEquals(8 + 128, f[DISCARD_SECTORS]);
            assertEquals(0, f[DISCARD_MERGES]);
            assertEquals(1, f[FLUSH_IOS]);
            assertEquals(1, f[WRITE_IOS], "WRITE_ZEROES is accounted as a write");
            assertEquals(8, f[WRITE_SECTORS]);
            assertEquals(0, f[READ_IOS]);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void flushWithoutWriteCacheIsNotAccounted() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "st2");
        try (SwQueue q = disk.openQueue()) {
            submitWait(q, new Bio().set(ReqOp.FLUSH, 0, 0, null, 0, 0, null));
            assertEquals(0, drv.calls.get());
            assertEquals(0, disk.statFields()[FLUSH_IOS]);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void inFlightAndInflightFile() throws Exception {
        Holding drv = new Holding();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("st3").capacitySectors(1 << 16).maxDiscardSectors(64).build();
        try (SwQueue q = disk.openQueue()) {
            List<Done> done = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Done d = new Done();
                done.add(d);
                q.submitBio(read(i * 8L, 4096, d));
            }
            Done w = new Done();
            done.add(w);
            q.submitBio(write(64, 4096, w));
            Done disc = new Done();
            done.add(disc);
            q.submitBio(new Bio().set(ReqOp.DISCARD, 128, 4096, null, 0, 0, disc));
            assertEquals(4, drv.held.size());
            long[] f = disk.statFields();
            assertEquals(4, f[IN_FLIGHT]);
            assertEquals(0, f[READ_IOS], "not counted before completion");
            assertArrayEquals(new long[] {2, 2}, inflight(disk), "reads, writes (DISCARD counts as a write)");
            assertEquals(4, drv.endAll(BlkStatus.OK));
            for (Done d : done) {
                d.await();
            }
            awaitTagsFree(disk);
            f = disk.statFields();
            assertEquals(0, f[IN_FLIGHT]);
            assertEquals(2, f[READ_IOS]);
            assertEquals(1, f[WRITE_IOS]);
            assertEquals(1, f[DISCARD_IOS]);
            assertArrayEquals(new long[] {0, 0}, inflight(disk));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void ticksAndTimeInQueue() throws Exception {
        Holding drv = new Holding();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("st4").capacitySectors(1 << 16).writeCache(true)
                .maxDiscardSectors(64).build();
        try (SwQueue q = disk.openQueue()) {
            Done r = new Done();
            long t0 = System.nanoTime();
            q.submitBio(read(0, 4096, r));
            Done w = new Done();
            q.submitBio(write(8, 4096, w));
            Done fl = new Done();
            q.submitBio(new Bio().set(ReqOp.FLUSH, 0, 0, null, 0, 0, fl));
            Done di = new Done();
            q.submitBio(new Bio().set(ReqOp.DISCARD, 16, 4096, null, 0, 0, di));
            Request rr = drv.take();
            Request rw = drv.take();
            Request rf = drv.take();
            Request rd = drv.take();
            Thread.sleep(30); // give the requests a measurable age
            BlkMq.endRequest(rr, BlkStatus.OK);
            long readHeldMs = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(20);
            BlkMq.endRequest(rw, BlkStatus.OK);
            BlkMq.endRequest(rf, BlkStatus.OK);
            BlkMq.endRequest(rd, BlkStatus.OK);
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            for (Done d : new Done[] {r, w, fl, di}) {
                assertEquals(BlkStatus.OK, d.await().status);
            }
            long[] f = disk.statFields();
            assertTrue(f[READ_TICKS] >= 30, "read ticks " + f[READ_TICKS] + " ms for a read held >= 30 ms");
            assertTrue(f[READ_TICKS] <= readHeldMs + 1, "read ticks " + f[READ_TICKS] + " > " + readHeldMs);
            assertTrue(f[WRITE_TICKS] >= 50, "write ticks " + f[WRITE_TICKS]);
            assertTrue(f[FLUSH_TICKS] >= 50, "flush ticks " + f[FLUSH_TICKS]);
            assertTrue(f[DISCARD_TICKS] >= 50, "discard ticks " + f[DISCARD_TICKS]);
            long sum = f[READ_TICKS] + f[WRITE_TICKS] + f[DISCARD_TICKS] + f[FLUSH_TICKS];
            // time_in_queue is the summed ns in ms; the four per-group fields are each truncated
            assertTrue(f[TIME_IN_QUEUE] >= sum && f[TIME_IN_QUEUE] <= sum + 3,
                    "time_in_queue " + f[TIME_IN_QUEUE] + " vs sum of ticks " + sum);
            assertTrue(f[IO_TICKS] <= elapsedMs + 1, "io_ticks " + f[IO_TICKS] + " > wall time " + elapsedMs);
        } finally {
            closeQuietly(set, disk);
        }
    }

    /**
     * io_ticks is the time the disk had I/O in flight. Two overlapping requests: A from t0, B from
     * t0+100 ms; A ends at ~t0+200, B at ~t0+300: the disk was busy for ~300 ms.
     */
    @Test
    void ioTicksCoverOverlappingRequests() throws Exception {
        Holding drv = new Holding();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "st5");
        try (SwQueue q = disk.openQueue()) {
            Done a = new Done();
            q.submitBio(read(0, 4096, a));
            long afterA = System.nanoTime();
            Request ra = drv.take();
            Thread.sleep(100);
            Done b = new Done();
            q.submitBio(read(8, 4096, b));
            Request rb = drv.take();
            Thread.sleep(100);
            BlkMq.endRequest(ra, BlkStatus.OK);
            Thread.sleep(100);
            long beforeB = System.nanoTime();
            BlkMq.endRequest(rb, BlkStatus.OK);
            a.await();
            b.await();
            long busyMs = (beforeB - afterA) / 1_000_000;
            long ioTicks = disk.statFields()[IO_TICKS];
            assertTrue(ioTicks >= busyMs - 1,
                    "io_ticks " + ioTicks + " ms, but I/O was in flight for at least " + busyMs + " ms");
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void iostatsOffCountsNothing() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("st6").capacitySectors(1 << 16).iostats(false).build();
        try (SwQueue q = disk.openQueue()) {
            assertFalse(disk.iostats());
            for (int i = 0; i < 10; i++) {
                submitWait(q, read(i * 8L, 4096, null));
                submitWait(q, write(i * 8L, 4096, null));
            }
            assertEquals(20, drv.calls.get());
            assertArrayEquals(new long[17], disk.statFields(), disk.stat());
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void switchingIostatsOffFreezesTheCounters() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "st7");
        try (SwQueue q = disk.openQueue()) {
            submitWait(q, read(0, 4096, null));
            submitWait(q, write(0, 4096, null));
            long[] before = disk.statFields();
            assertEquals(1, before[READ_IOS]);
            disk.setIostats(false);
            for (int i = 0; i < 10; i++) {
                submitWait(q, read(i * 8L, 4096, null));
                submitWait(q, write(i * 8L, 4096, null));
            }
            long[] after = disk.statFields();
            assertEquals(before[READ_IOS], after[READ_IOS]);
            assertEquals(before[READ_SECTORS], after[READ_SECTORS]);
            assertEquals(before[WRITE_IOS], after[WRITE_IOS]);
            assertEquals(before[WRITE_SECTORS], after[WRITE_SECTORS]);
            assertEquals(before[TIME_IN_QUEUE], after[TIME_IN_QUEUE]);
            disk.setIostats(true);
            submitWait(q, read(0, 4096, null));
            assertEquals(2, disk.statFields()[READ_IOS], "counting resumes");
        } finally {
            closeQuietly(set, disk);
        }
    }

    /**
     * A request allocated while iostats was off is not accounted when it ends, even if iostats was
     * switched on meanwhile (the kernel decides at start: RQF_IO_STAT).
     */
    @Test
    void requestStartedWithIostatsOffIsNotAccountedLater() throws Exception {
        Holding drv = new Holding();
        drv.passThrough = true;
        TagSet set = TagSet.builder(drv).queueDepth(1).build(); // one tag: the request is reused
        GenDisk disk = disk(set, "st8");
        try (SwQueue q = disk.openQueue()) {
            submitWait(q, read(0, 4096, null));
            assertEquals(1, disk.statFields()[READ_IOS]);
            disk.setIostats(false);
            drv.passThrough = false;
            Done d = new Done();
            q.submitBio(read(8, 4096, d));
            Request rq = drv.take();
            disk.setIostats(true);
            BlkMq.endRequest(rq, BlkStatus.OK);
            d.await();
            long[] f = disk.statFields();
            assertEquals(1, f[READ_IOS], "the read issued with iostats off was counted");
            assertEquals(8, f[READ_SECTORS]);
        } finally {
            closeQuietly(set, disk);
        }
    }
}
