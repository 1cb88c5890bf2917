package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** submit_queues (and poll_queues) changed while two threads do I/O: nothing is lost, failed or doubled. */
class SubmitQueuesLiveChangeTest {
    private static final int BATCH = 8;
    private static final int BLOCK = 4096;

    @ParameterizedTest
    @CsvSource({"raw,off,1", "safe,checked,1", "safe,off,0", "safe,debug,2"})
    void ioRunsThroughReconfiguration(String drv, String own, int irqmode) throws Exception {
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0",
                "size=16 poll_queues=0 submit_queues=1 memory_backed=1 irqmode=" + irqmode,
                DriverKind.parse(drv), Ownership.parse(own))) {
            GenDisk disk = dev.disk();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong bios = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            long[] rounds = new long[2];
            for (int t = 0; t < 2; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        rounds[id] = work(disk, id, stop, bios);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }, "io-" + t);
                workers.add(w);
                w.start();
            }
            String[][] steps = {{"submit_queues", "2"}, {"submit_queues", "4"}, {"poll_queues", "1"},
                {"submit_queues", "1"}, {"poll_queues", "0"}, {"submit_queues", "3"}, {"submit_queues", "2"}};
            for (String[] s : steps) {
                Thread.sleep(60);
                dev.set(s[0], s[1]);
            }
            Thread.sleep(60);
            stop.set(true);
            for (Thread w : workers) {
                w.join(NullBlkTestSupport.WAIT_S * 1000);
            }
            assertNull(failure.get(), () -> "worker failed: " + failure.get());
            assertEquals(2, disk.nrHwQueues());
            assertTrue(rounds[0] > 0 && rounds[1] > 0, "both workers made progress");
            assertEquals("0 0", disk.inflight().trim().replaceAll("\\s+", " "));
            assertTrue(bios.get() >= 4L * BATCH, "bios: " + bios.get());
        }
    }

    /** Rounds of BATCH async writes then BATCH async reads of the same blocks, verified. */
    private static long work(GenDisk disk, int id, AtomicBoolean stop, AtomicLong bios) throws Exception {
        Random rnd = new Random(id);
        long base = ((long) id * (8L << 20)) >> 9; // each thread its own 8 MiB
        long rounds = 0;
        try (SwQueue q = disk.openQueue()) {
            while (!stop.get()) {
                byte[][] data = new byte[BATCH][BLOCK];
                List<Done> writes = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    rnd.nextBytes(data[i]);
                    writes.add(NullBlkTestSupport.submit(q, ReqOp.WRITE, base + (rounds % 256) * BATCH * 8 + i * 8L,
                            BLOCK, ByteBuffer.wrap(data[i]), 0, 0));
                }
                for (Done d : writes) {
                    d.assertOnce(BlkStatus.OK);
                }
                List<Done> reads = new ArrayList<>();
                ByteBuffer[] bufs = new ByteBuffer[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    bufs[i] = ByteBuffer.allocate(BLOCK);
                    reads.add(NullBlkTestSupport.submit(q, ReqOp.READ, base + (rounds % 256) * BATCH * 8 + i * 8L,
                            BLOCK, bufs[i], 0, 0));
                }
                for (int i = 0; i < BATCH; i++) {
                    reads.get(i).assertOnce(BlkStatus.OK);
                    assertArrayEquals(data[i], bufs[i].array(), "thread " + id + " round " + rounds + " block " + i);
                }
                bios.addAndGet(2 * BATCH);
                rounds++;
            }
        }
        return rounds;
    }
}
