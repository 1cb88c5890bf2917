package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Batched completion of polled requests ({@code io_comp_batch}): a poller's finished requests are
 * ended together, tags in chunks; the batch is refused with a scheduler, on error, without a batch.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoCompBatchTest {

    /** Parks polled requests; poll puts them on the batch where it may, else ends them. */
    static final class BatchPolling implements BlkMqOps {
        final Queue<Request> parked = new ConcurrentLinkedQueue<>();
        final AtomicInteger batched = new AtomicInteger();
        final AtomicInteger single = new AtomicInteger();
        volatile BlkStatus status = BlkStatus.OK;

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            BlkMq.startRequest(rq);
            parked.add(rq);
            return BlkStatus.OK;
        }

        @Override
        public int poll(HwQueue hctx) {
            return poll(hctx, null);
        }

        @Override
        public int poll(HwQueue hctx, IoCompBatch iob) {
            int n = 0;
            Request rq;
            while ((rq = parked.poll()) != null) {
                BlkStatus st = status;
                if (BlkMq.addToBatch(rq, iob, st != BlkStatus.OK)) {
                    batched.incrementAndGet();
                } else {
                    single.incrementAndGet();
                    BlkMq.endRequest(rq, st);
                }
                n++;
            }
            return n;
        }
    }

    private static Done[] submitPolled(SwQueue q, int n, Bio[] bios) {
        Done[] done = new Done[n];
        q.startPlug(); // hold them back so one poll reaps them all
        for (int i = 0; i < n; i++) {
            done[i] = new Done();
            bios[i] = read(i * 8L, 4096, done[i]).flags(ReqFlags.POLLED);
            q.submitBio(bios[i]);
        }
        q.finishPlug();
        return done;
    }

    @Test
    void aPollerEndsItsRequestsAsOneBatch() throws Exception {
        BatchPolling drv = new BatchPolling();
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrPollQueues(1).nrCpuIds(2).queueDepth(64).build();
        GenDisk disk = disk(set, "iob0");
        try (SwQueue q = disk.openQueue()) {
            assertEquals(ElevatorType.NONE, disk.scheduler(), "two hw queues: none by default");
            Bio[] bios = new Bio[40];
            Done[] done = submitPolled(q, 40, bios);
            assertEquals(40, q.poll(bios[0]));
            assertEquals(40, drv.batched.get(), "all on the batch: more than one chunk of 32");
            assertEquals(0, drv.single.get());
            for (Done d : done) {
                assertTrue(d.done());
                assertEquals(1, d.calls.get());
                assertEquals(BlkStatus.OK, d.status);
                assertEquals(4096, d.bytesDone);
            }
            assertEquals(0, busyTags(disk), "every tag freed by the batch");
            assertEquals(40, disk.stat(StatField.READ_IOS), "each request accounted");
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void theBatchIsRefusedWithASchedulerOnErrorAndWithoutABatch() throws Exception {
        BatchPolling drv = new BatchPolling();
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrPollQueues(1).nrCpuIds(2).queueDepth(64).build();
        GenDisk disk = disk(set, "iob1");
        try (SwQueue q = disk.openQueue()) {
            Bio[] bios = new Bio[4];
            submitPolled(q, 4, bios);
            assertEquals(4, q.poll(bios[0], null), "a synchronous poller passes no batch");
            assertEquals(4, drv.single.get());

            drv.status = BlkStatus.IOERR;
            Done[] failed = submitPolled(q, 4, bios);
            q.poll(bios[0]);
            assertEquals(8, drv.single.get(), "errors are ended one by one");
            assertEquals(BlkStatus.IOERR, failed[0].status);
            drv.status = BlkStatus.OK;

            disk.setScheduler("mq-deadline");
            Done[] viaSched = submitPolled(q, 4, bios);
            awaitTrue("requests dispatched by the scheduler", () -> drv.parked.size() == 4);
            q.poll(bios[0]);
            assertEquals(12, drv.single.get(), "RQF_USE_SCHED: no batch");
            assertEquals(0, drv.batched.get());
            for (Done d : viaSched) {
                assertEquals(BlkStatus.OK, d.await().status);
            }
            awaitTagsFree(disk);
        } finally {
            closeQuietly(set, disk);
        }
    }
}
