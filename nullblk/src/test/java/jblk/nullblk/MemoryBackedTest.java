package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.assertReads;
import static jblk.nullblk.NullBlkTestSupport.pattern;
import static jblk.nullblk.NullBlkTestSupport.read;
import static jblk.nullblk.NullBlkTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** memory_backed: what is written is exactly what is read back, also from two threads at once. */
class MemoryBackedTest {
    private static final int REGION = 4 << 20;

    @ParameterizedTest
    @CsvSource({"raw,off,512,1", "safe,checked,512,1", "safe,off,4096,0", "safe,debug,4096,2", "raw,off,4096,2"})
    void randomWritesFromTwoThreadsReadBackWithMatchingChecksums(String drv, String own, int bs, int irqmode)
            throws Exception {
        try (NullBlkModule m = NullBlkModule.load("size=8 memory_backed=1 submit_queues=2 poll_queues=0 bs=" + bs
                + " irqmode=" + irqmode, DriverKind.parse(drv), Ownership.parse(own))) {
            GenDisk disk = m.device(0).disk();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<byte[]>> models = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int thread = t;
                    models.add(pool.submit(() -> writeRegion(disk, thread, bs, 400)));
                }
                List<byte[]> expected = new ArrayList<>();
                for (Future<byte[]> f : models) {
                    expected.add(f.get(60, TimeUnit.SECONDS));
                }
                // Read everything back from a third context and compare chunk checksums.
                try (SwQueue q = disk.openQueue()) {
                    for (int t = 0; t < 2; t++) {
                        long base = ((long) t * REGION) >> 9;
                        byte[] model = expected.get(t);
                        for (int off = 0; off < REGION; off += 64 << 10) {
                            byte[] got = read(q, base + (off >> 9), 64 << 10);
                            assertEquals(crc(model, off, 64 << 10), crc(got, 0, got.length),
                                    "region " + t + " offset " + off);
                        }
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** One thread's work: random writes (and verifying reads) in its own region; returns its model. */
    private static byte[] writeRegion(GenDisk disk, int t, int bs, int ops) throws Exception {
        byte[] model = new byte[REGION];
        Random rnd = new Random(1000 + t);
        long base = ((long) t * REGION) >> 9;
        int blocks = REGION / bs;
        try (SwQueue q = disk.openQueue()) {
            for (int i = 0; i < ops; i++) {
                int nblk = 1 + rnd.nextInt(Math.max(1, 32768 / bs));
                int blk = rnd.nextInt(blocks - nblk);
                int off = blk * bs;
                int len = nblk * bs;
                if (rnd.nextInt(4) == 0) {
                    byte[] got = read(q, base + (off >> 9), len);
                    byte[] want = java.util.Arrays.copyOfRange(model, off, off + len);
                    assertArrayEquals(want, got, "thread " + t + " read at " + off);
                } else {
                    byte[] data = new byte[len];
                    rnd.nextBytes(data);
                    write(q, base + (off >> 9), data);
                    System.arraycopy(data, 0, model, off, len);
                }
            }
        }
        return model;
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    @Test
    void unwrittenSectorsReadAsZerosAndPartialPagesKeepTheirNeighbours() throws Exception {
        try (NullBlkModule m = NullBlkModule.load("size=4 memory_backed=1 poll_queues=0 irqmode=0", DriverKind.SAFE,
                Ownership.CHECKED)) {
            NullbDevice dev = m.device(0);
            try (SwQueue q = dev.disk().openQueue()) {
                assertReads(q, 0, new byte[64 << 10]);
                assertEquals(0, dev.memoryUsed(), "reading holes allocates nothing");
                byte[] one = pattern(9, 512);
                write(q, 3, one); // sector 3 of page 0
                byte[] page = read(q, 0, 4096);
                byte[] want = new byte[4096];
                System.arraycopy(one, 0, want, 3 * 512, 512);
                assertArrayEquals(want, page);
                assertEquals(4096, dev.memoryUsed());
                // A write across a page boundary lands whole.
                byte[] span = pattern(10, 4096);
                write(q, 6, span);
                System.arraycopy(span, 0, want, 3072, 1024);
                assertArrayEquals(want, read(q, 0, 4096));
                assertArrayEquals(java.util.Arrays.copyOfRange(span, 1024, 4096),
                        java.util.Arrays.copyOfRange(read(q, 8, 4096), 0, 3072));
            }
        }
    }

    @Test
    void dataFromABufferOffsetAndIntoADirectBuffer() throws Exception {
        try (NullBlkModule m = NullBlkModule.load("size=4 memory_backed=1 poll_queues=0", DriverKind.RAW,
                Ownership.OFF)) {
            try (SwQueue q = m.device(0).disk().openQueue()) {
                byte[] data = pattern(11, 8192);
                ByteBuffer src = ByteBuffer.allocateDirect(3 * 4096);
                src.put(1000, data);
                Done w = NullBlkTestSupport.io(q, ReqOp.WRITE, 40, 8192, src, 1000, 0);
                assertEquals(BlkStatus.OK, w.status);
                assertEquals(8192, w.bytesDone);
                ByteBuffer dst = ByteBuffer.allocateDirect(10000);
                Done r = NullBlkTestSupport.io(q, ReqOp.READ, 40, 8192, dst, 7, 0);
                assertEquals(BlkStatus.OK, r.status);
                byte[] got = new byte[8192];
                dst.get(7, got);
                assertArrayEquals(data, got);
                assertNull(r.detail);
            }
        }
    }
}
