package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * irqmode 0 (end inline), 1 (softirq) and 2 (timer) complete every bio once, with the raw driver and
 * the safe one in each ownership mode; a polled bio on a poll queue is reaped by polling. (How long
 * the timer takes is measured by the benchmarks, not asserted here.)
 */
class IrqModeTest {

    @ParameterizedTest
    @CsvSource({"raw,off,0", "raw,off,1", "raw,off,2", "safe,off,0", "safe,off,1", "safe,off,2", "safe,checked,0",
        "safe,checked,1", "safe,checked,2", "safe,debug,0", "safe,debug,1", "safe,debug,2"})
    void everyBioCompletesOnce(String drv, String own, int irqmode) throws Exception {
        try (NullBlkModule m = NullBlkModule.load("gb=1 poll_queues=0 submit_queues=2 hw_queue_depth=16"
                + " completion_nsec=50000 irqmode=" + irqmode, DriverKind.parse(drv), Ownership.parse(own))) {
            GenDisk disk = m.device(0).disk();
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<Done> done = new ArrayList<>();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try (SwQueue q = disk.openQueue()) {
                for (int i = 0; i < 200; i++) {
                    Done d = new Done();
                    done.add(d);
                    q.submitBio(new Bio().set(i % 2 == 0 ? ReqOp.READ : ReqOp.WRITE, 8L * i, 4096, buf, 0, 0, b -> {
                        threads.add(Thread.currentThread().getName());
                        d.endIo(b);
                    }));
                }
                for (Done d : done) {
                    d.assertOnce(BlkStatus.OK);
                }
            }
            String expected = irqmode == 0 ? Thread.currentThread().getName() : irqmode == 1 ? "softirq" : "timer";
            assertTrue(threads.stream().allMatch(t -> t.contains(expected)),
                    "irqmode " + irqmode + " completes on the " + expected + " context: " + threads);
            // A bio's callback runs before its request frees the tag (blk_mq_end_request: bio_endio,
            // then __blk_mq_end_request), and with irqmode=2 the request is IN_FLIGHT until then, as
            // in the kernel: the last one may still show for a moment.
            NullBlkTestSupport.waitUntil("no request left in the driver",
                    () -> disk.inflight().trim().replaceAll("\\s+", " ").equals("0 0"));
        }
    }

    @ParameterizedTest
    @CsvSource({"raw,off", "safe,off", "safe,checked", "safe,debug"})
    void polledBiosAreReapedByPolling(String drv, String own) throws Exception {
        try (NullBlkModule m = NullBlkModule.load("gb=1 poll_queues=1 submit_queues=1 memory_backed=1",
                DriverKind.parse(drv), Ownership.parse(own))) {
            GenDisk disk = m.device(0).disk();
            try (SwQueue q = disk.openQueue()) {
                byte[] data = NullBlkTestSupport.pattern(5, 4096);
                Done w = new Done();
                Bio wb = new Bio().set(ReqOp.WRITE, 64, 4096, ByteBuffer.wrap(data), 0, ReqFlags.POLLED, w);
                q.submitBio(wb);
                int reaped = pollUntilDone(q, wb, w);
                w.assertOnce(BlkStatus.OK);
                assertEquals(1, reaped);

                ByteBuffer rbuf = ByteBuffer.allocate(4096);
                Done r = new Done();
                Bio rb = new Bio().set(ReqOp.READ, 64, 4096, rbuf, 0, ReqFlags.POLLED, r);
                q.submitBio(rb);
                pollUntilDone(q, rb, r);
                r.assertOnce(BlkStatus.OK);
                assertTrue(java.util.Arrays.equals(data, rbuf.array()), "polled read returns the polled write");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"raw,off", "safe,off", "safe,checked", "safe,debug"})
    void aPolledBioNobodyPollsTimesOutOnce(String drv, String own) throws Exception {
        NullbDevice dev = new NullbDevice("nullb0", NullbParams.parse("size=4 poll_queues=1"), DriverKind.parse(drv),
                Ownership.parse(own)).timeout(NullBlkTestSupport.ms(100));
        dev.power(true);
        try (dev; SwQueue q = dev.disk().openQueue()) {
            Done d = new Done();
            Bio bio = new Bio().set(ReqOp.READ, 0, 4096, ByteBuffer.allocate(4096), 0, ReqFlags.POLLED, d);
            q.submitBio(bio);
            d.assertOnce(BlkStatus.TIMEOUT);
            assertEquals(0, q.poll(bio), "the timeout handler took it off the poll list");
            assertEquals(1, d.calls.get());
            if (dev.violations() != null) {
                assertEquals(0, dev.violations().total(), dev.violations().toString());
            }
            // The queue still serves polled I/O afterwards.
            Done next = new Done();
            Bio nb = new Bio().set(ReqOp.READ, 8, 4096, ByteBuffer.allocate(4096), 0, ReqFlags.POLLED, next);
            q.submitBio(nb);
            pollUntilDone(q, nb, next);
            next.assertOnce(BlkStatus.OK);
        }
    }

    private static int pollUntilDone(SwQueue q, Bio bio, Done d) throws InterruptedException {
        int reaped = 0;
        long deadline = System.nanoTime() + NullBlkTestSupport.WAIT_S * 1_000_000_000L;
        while (!d.isDone() && System.nanoTime() < deadline) {
            reaped += q.poll(bio);
            Thread.onSpinWait();
        }
        return reaped;
    }
}
