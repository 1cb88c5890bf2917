package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZone;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several submitters, each with up to 16 writes in flight, into zones they own (thread t owns the
 * zones z with z % threads == t), under zone_max_open (so zones are closed implicitly all the time)
 * with completions on softirq threads; full zones are reset and rewritten. Afterwards every zone's
 * write pointer is where its owner wrote up to, and every block reads back what was written last.
 */
class ZonedWorkloadTest {
    private static final int THREADS = 4;
    private static final int DEPTH = 16;
    private static final int BS = 4096;
    private static final int ZONES = 16;
    private static final int WRITES = 3000;

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void concurrentZonedWritesKeepDataAndWritePointers(DriverKind k) throws Exception {
        String params = "zoned=1 size=16 zone_size=1 zone_max_open=4 memory_backed=1 irqmode=1 submit_queues=2"
                + " hw_queue_depth=32";
        try (NullbDevice d = NullBlkTestSupport.powered("zw" + k.ordinal(), params, k,
                k == DriverKind.SAFE ? Ownership.CHECKED : Ownership.OFF)) {
            GenDisk disk = d.disk();
            long zs = disk.zones().zoneSectors();
            assertEquals(2048, zs);
            long[] wp = new long[ZONES]; // owner-written
            int[] gen = new int[ZONES];
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            Thread[] t = new Thread[THREADS];
            for (int i = 0; i < THREADS; i++) {
                int me = i;
                t[i] = new Thread(() -> {
                    try (SwQueue q = disk.openQueue()) {
                        run(q, me, zs, wp, gen, errors);
                    } catch (Throwable e) {
                        errors.add(e.toString());
                    }
                }, "zw-" + i);
                t[i].start();
            }
            for (Thread x : t) {
                x.join(60_000);
                assertTrue(!x.isAlive(), "submitter hung");
            }
            assertTrue(errors.isEmpty(), errors.toString());
            List<BlkZone> report = disk.zones().reportAll();
            try (SwQueue q = disk.openQueue()) {
                for (int z = 0; z < ZONES; z++) {
                    BlkZone bz = report.get(z);
                    assertEquals(z * zs + wp[z], bz.wp(), "zone " + z + " write pointer");
                    BlkZoneCond cond = wp[z] == 0 ? BlkZoneCond.EMPTY : wp[z] == zs ? BlkZoneCond.FULL : null;
                    if (cond != null) {
                        assertEquals(cond, bz.cond(), "zone " + z);
                    } else {
                        assertTrue(bz.cond() == BlkZoneCond.IMP_OPEN || bz.cond() == BlkZoneCond.CLOSED,
                                "zone " + z + " " + bz);
                    }
                    for (long off = 0; off < zs; off += BS >>> 9) {
                        byte[] got = NullBlkTestSupport.read(q, z * zs + off, BS);
                        byte[] expect = off < wp[z] ? block(z, gen[z], off) : new byte[BS];
                        assertArrayEquals(expect, got, "zone " + z + " offset " + off);
                    }
                }
            }
            int[] c = d.engine().zoned.counters();
            assertTrue(c[0] + c[1] <= 4, "open zones within zone_max_open: " + c[0] + "+" + c[1]);
        }
    }

    /** The payload of the block at {@code off} of zone {@code z} in its {@code gen}-th filling. */
    private static byte[] block(int z, int gen, long off) {
        byte[] b = new byte[BS];
        new Random(((long) z << 40) ^ ((long) gen << 20) ^ off).nextBytes(b);
        return b;
    }

    private static void run(SwQueue q, int me, long zs, long[] wp, int[] gen, ConcurrentLinkedQueue<String> errors)
            throws InterruptedException {
        Random rnd = new Random(me);
        Semaphore slots = new Semaphore(DEPTH);
        AtomicInteger[] inflight = new AtomicInteger[ZONES];
        for (int z = 0; z < ZONES; z++) {
            inflight[z] = new AtomicInteger();
        }
        int mine = ZONES / THREADS;
        for (int n = 0; n < WRITES && errors.isEmpty(); n++) {
            int z = me + THREADS * rnd.nextInt(mine);
            if (wp[z] == zs) {
                // full: wait for our writes to it, then reset and start a new filling
                while (inflight[z].get() != 0) {
                    Thread.onSpinWait();
                }
                NullBlkTestSupport.Done r = NullBlkTestSupport.io(q, ReqOp.ZONE_RESET, z * zs, 0, null, 0, 0);
                if (r.status != BlkStatus.OK) {
                    errors.add("reset of zone " + z + ": " + r.status + " " + r.detail);
                    return;
                }
                wp[z] = 0;
                gen[z]++;
            }
            long off = wp[z];
            wp[z] += BS >>> 9;
            slots.acquire();
            inflight[z].incrementAndGet();
            ByteBuffer buf = ByteBuffer.wrap(block(z, gen[z], off));
            int zone = z;
            q.submitBio(new Bio().set(ReqOp.WRITE, z * zs + off, BS, buf, 0, 0, bio -> {
                if (bio.status() != BlkStatus.OK) {
                    errors.add("write zone " + zone + " offset " + off + ": " + bio.status() + " " + bio.errorDetail());
                }
                inflight[zone].decrementAndGet();
                slots.release();
            }));
        }
        assertTrue(slots.tryAcquire(DEPTH, 30, TimeUnit.SECONDS), "writes never completed");
    }
}
