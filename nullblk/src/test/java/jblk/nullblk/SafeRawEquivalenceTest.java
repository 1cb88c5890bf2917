package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.QueueLimits;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;

/**
 * The safe (rnull-style) and raw (C-style) drivers give identical results for the same seeded
 * workload on the same parameters: per operation the same status, bytes done and data read.
 */
class SafeRawEquivalenceTest {
    private static final String PARAMS = "size=4 poll_queues=0 submit_queues=1 irqmode=1 memory_backed=1 discard=1"
            + " cache_size=1 badblocks=+300-310,+1000-1003 badblocks_partial_io=1 requeue=1,10,0,-1 timeout=1,5,0,3";
    private static final int OPS = 400;

    /** Runs the seeded workload on a fresh device and returns one line per operation. */
    private static List<String> run(DriverKind kind, Ownership own, long seed) throws Exception {
        NullbDevice dev = new NullbDevice("nullb0", NullbParams.parse(PARAMS), kind, own).seed(seed)
                .timeout(NullBlkTestSupport.ms(100));
        dev.power(true);
        List<String> out = new ArrayList<>();
        try (dev; SwQueue q = dev.disk().openQueue()) {
            Random rnd = new Random(seed);
            for (int i = 0; i < OPS; i++) {
                int pick = rnd.nextInt(100);
                long sector = rnd.nextInt(4096 - 16);
                int bytes = (1 + rnd.nextInt(16)) * 512;
                ReqOp op;
                int flags = 0;
                if (pick < 40) {
                    op = ReqOp.WRITE;
                    flags = rnd.nextInt(5) == 0 ? ReqFlags.FUA : 0;
                } else if (pick < 75) {
                    op = ReqOp.READ;
                } else if (pick < 85) {
                    op = ReqOp.DISCARD;
                } else if (pick < 95) {
                    op = ReqOp.WRITE_ZEROES;
                    flags = rnd.nextBoolean() ? ReqFlags.NOUNMAP : 0;
                } else {
                    op = ReqOp.FLUSH;
                    sector = 0;
                    bytes = 0;
                }
                ByteBuffer buf = null;
                if (op == ReqOp.WRITE) {
                    byte[] data = new byte[bytes];
                    rnd.nextBytes(data);
                    buf = ByteBuffer.wrap(data);
                } else if (op == ReqOp.READ) {
                    buf = ByteBuffer.allocate(bytes);
                }
                Done d = NullBlkTestSupport.io(q, op, sector, bytes, buf, 0, flags);
                String line = i + " " + op + " " + sector + "+" + bytes + " " + d.status + " done=" + d.bytesDone;
                if (op == ReqOp.READ) {
                    CRC32 c = new CRC32();
                    c.update(buf.array(), 0, Math.max(0, d.bytesDone));
                    line += " crc=" + Long.toHexString(c.getValue());
                }
                out.add(line);
                assertEquals(1, d.calls.get(), line);
            }
            // A final sweep of the whole disk: the stored data must be identical too.
            for (long s = 0; s < 4096; s += 256) {
                ByteBuffer buf = ByteBuffer.allocate(256 * 512);
                Done d = NullBlkTestSupport.io(q, ReqOp.READ, s, buf.capacity(), buf, 0, 0);
                CRC32 c = new CRC32();
                c.update(buf.array(), 0, Math.max(0, d.bytesDone));
                out.add("sweep " + s + " " + d.status + " done=" + d.bytesDone + " crc="
                        + Long.toHexString(c.getValue()));
            }
            long[] f = dev.engine().faultCounts();
            out.add("faults timeout=" + f[0] + " requeue=" + f[1]);
        }
        return out;
    }

    @Test
    void safeAndRawGiveIdenticalResultsForTheSameSeededWorkload() throws Exception {
        long seed = 20240601L;
        List<String> raw = run(DriverKind.RAW, Ownership.OFF, seed);
        // The workload exercised what it should: errors from bad blocks, partial transfers, faults.
        assertTrue(raw.stream().anyMatch(l -> l.contains(" IOERR ")), "bad blocks were hit");
        assertTrue(raw.stream().anyMatch(l -> l.contains(" TIMEOUT ")), "a timeout was injected");
        assertTrue(raw.stream().anyMatch(l -> l.contains("IOERR done=") && !l.contains("IOERR done=0")),
                "a partial transfer happened");
        assertTrue(raw.get(raw.size() - 1).matches("faults timeout=[1-9]\\d* requeue=[1-9]\\d*"),
                raw.get(raw.size() - 1));
        for (Ownership own : Ownership.values()) {
            assertEquals(raw, run(DriverKind.SAFE, own, seed), "safe driver, ownership " + own);
        }
    }

    @Test
    void bothDriversReportTheSameLimitsForTheSameParameters() {
        String p = "size=4 poll_queues=0 memory_backed=1 cache_size=1 fua=0 virt_boundary=1 rotational=1 bs=4096"
                + " max_sectors=64 discard=1";
        try (NullbDevice raw = NullBlkTestSupport.powered("nullb0", p, DriverKind.RAW, Ownership.OFF);
                NullbDevice safe = NullBlkTestSupport.powered("nullb1", p, DriverKind.SAFE, Ownership.CHECKED)) {
            QueueLimits r = raw.disk().limits();
            QueueLimits s = safe.disk().limits();
            assertEquals(false, r.fua(), "fua=0: the raw device advertises no FUA");
            assertEquals(true, r.virtBoundary(), "virt_boundary=1 reaches the raw device");
            assertAll(
                () -> assertEquals(r.logicalBlockSize(), s.logicalBlockSize(), "logical block size"),
                () -> assertEquals(r.physicalBlockSize(), s.physicalBlockSize(), "physical block size"),
                () -> assertEquals(r.maxHwSectors(), s.maxHwSectors(), "max_hw_sectors"),
                () -> assertEquals(r.maxSectors(), s.maxSectors(), "max_sectors"),
                () -> assertEquals(r.maxDiscardSectors(), s.maxDiscardSectors(), "max_discard_sectors"),
                () -> assertEquals(r.maxWriteZeroesSectors(), s.maxWriteZeroesSectors(), "max_write_zeroes_sectors"),
                () -> assertEquals(r.rotational(), s.rotational(), "rotational"),
                () -> assertEquals(r.writeCache(), s.writeCache(), "write cache"),
                () -> assertEquals(r.fua(), s.fua(), "fua=0 must reach the safe device too"),
                () -> assertEquals(r.virtBoundary(), s.virtBoundary(),
                        "virt_boundary=1 must reach the safe device too"));
            assertEquals(raw.disk().capacity(), safe.disk().capacity());
        }
    }

    @Test
    void timerCompletionLaterThanTheRequestTimeoutEndsTheSameWayInBothDrivers() throws Exception {
        // irqmode=2 with completion_nsec (300 ms) beyond the request timeout (100 ms): the timeout
        // handler marks the command TIMEOUT and the timer completes it later (null_timeout_rq).
        String p = "size=4 poll_queues=0 irqmode=2 completion_nsec=300000000";
        List<BlkStatus> statuses = new ArrayList<>();
        for (Object[] cfg : new Object[][] {{DriverKind.RAW, Ownership.OFF}, {DriverKind.SAFE, Ownership.OFF},
            {DriverKind.SAFE, Ownership.CHECKED}}) {
            NullbDevice dev = new NullbDevice("nullb0", NullbParams.parse(p), (DriverKind) cfg[0], (Ownership) cfg[1])
                    .timeout(NullBlkTestSupport.ms(100));
            dev.power(true);
            try (dev; SwQueue q = dev.disk().openQueue()) {
                Done d = NullBlkTestSupport.io(q, ReqOp.READ, 0, 4096, ByteBuffer.allocate(4096), 0, 0);
                assertEquals(1, d.calls.get());
                statuses.add(d.status);
            }
        }
        assertEquals(List.of(statuses.get(0), statuses.get(0), statuses.get(0)), statuses,
                "raw, safe/off, safe/checked");
    }
}
