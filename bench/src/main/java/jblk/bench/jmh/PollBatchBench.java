package jblk.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.Bio;
import jblk.blockcore.GenDisk;
import jblk.blockcore.IoCompBatch;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.safety.Ownership;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Polled completion (io_uring IOPOLL's shape) on the raw null_blk with a poll queue: one operation
 * submits {@value #WINDOW} POLLED 4 KiB reads under a plug and reaps them with one poll, the
 * finished requests ended as one {@code io_comp_batch} ({@code batch=on}: {@code
 * blk_mq_end_request_batch}) or one by one ({@code off}: the poller passes no batch). The score is
 * per I/O. {@code ioscheduler=mq-deadline} shows the batch refused (RQF_USE_SCHED).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PollBatchBench {
    static final int WINDOW = 32;

    @Param({"on", "off"})
    public String batch;

    @Param({"none"})
    public String ioscheduler;

    /** iostats=1: the batch's one clock read ({@code need_ts}) then stands in for one per request. */
    @Param({"0"})
    public int iostats;

    NullBlkModule module;
    GenDisk disk;
    SwQueue queue;
    Bio[] bios;
    IoCompBatch iob;
    long blocks;
    long rnd = 0x2545F4914F6CDD1DL;

    @Setup(Level.Trial)
    public void setup() {
        module = NullBlkModule.load("iostats=" + iostats + " submit_queues=1 poll_queues=1", DriverKind.RAW,
                Ownership.OFF);
        disk = module.device(0).disk();
        disk.setScheduler(ioscheduler);
        blocks = (disk.capacity() << 9) / 4096;
        queue = disk.openQueue();
        iob = batch.equals("on") ? new IoCompBatch() : null;
        ByteBuffer slab = ByteBuffer.allocateDirect(WINDOW * 4096 + 4096).alignedSlice(4096);
        bios = new Bio[WINDOW];
        for (int i = 0; i < WINDOW; i++) {
            bios[i] = new Bio().set(ReqOp.READ, 0, 4096, slab, i * 4096, ReqFlags.POLLED, b -> { });
        }
    }

    @TearDown(Level.Trial)
    public void teardown() {
        queue.close();
        module.close();
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public int window() {
        queue.startPlug();
        for (Bio b : bios) {
            queue.submitBio(b.flags(ReqFlags.POLLED).sector(nextBlock() << 3));
        }
        queue.finishPlug();
        int done = 0;
        while (done < WINDOW) {
            done += queue.poll(bios[0], iob);
        }
        return done;
    }

    private long nextBlock() {
        long x = rnd;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        rnd = x;
        return Math.multiplyHigh(x, blocks) + ((x >> 63) & blocks);
    }
}
