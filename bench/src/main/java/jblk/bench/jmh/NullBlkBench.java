package jblk.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jblk.bench.StableJit;
import jblk.blockcore.Bio;
import jblk.blockcore.BioEndIo;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * null_blk under JMH: one benchmark operation is one 4 KiB I/O submitted and completed.
 *
 * <p>irqmode=0 completes inline, so an operation is one {@code submitBio}. With irqmode=1 the
 * completion runs on the queue's softirq thread, so each thread keeps {@code window} I/Os in flight
 * and an operation reaps one completion and submits its replacement: throughput with a bounded
 * in-flight window, as fio's iodepth.
 *
 * <p>Threads cannot be a {@code @Param}, so there are two methods, {@link #oneJob} ({@code @Threads(1)})
 * and {@link #twoJobs} ({@code @Threads(2)}); the device gets as many submit queues as the run has
 * threads (so {@code -t N} works too), and each thread's software queue maps to its own hardware queue.
 * The raw driver has no ownership modes: raw with checked or debug is refused in setup at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// the same options as compare's workers: one compiled shape per fork (jblk.bench.StableJit); prepended, so a
// -jvmArgsAppend given on the command line (diagnostics: -XX:+PrintInlining, JFR) adds to them, not replaces them
@Fork(value = 1, jvmArgsPrepend = {StableJit.QUIET, StableJit.TIMER_OUT_OF_LINE, StableJit.IDLE_OUT_OF_LINE,
    StableJit.PUSH_OUT_OF_LINE, StableJit.COMPLETION_IDLE_OUT_OF_LINE, StableJit.TOKEN_INLINE,
    StableJit.QUEUE_RQ_INLINE, StableJit.COMPLETE_INLINE})
public class NullBlkBench {
    @Param({"raw", "safe"})
    public String driver;

    @Param({"off", "checked", "debug", "refcount", "hpref", "owned"})
    public String ownership;

    @Param({"0", "1"})
    public int irqmode;

    @Param({"0", "1"})
    public int memory_backed;

    /** randread or randwrite (memory-backed devices are written once in setup, so reads hit data). */
    @Param({"randread"})
    public String rw;

    /**
     * The I/O scheduler ({@code queue/scheduler}). none by default, as every figure before issue 14
     * was taken; the kernel would give one submit queue mq-deadline. {@code -p ioscheduler=none,mq-deadline}.
     */
    @Param({"none"})
    public String ioscheduler;

    /** I/Os in flight per thread when completions are asynchronous (irqmode=1). */
    @Param({"32"})
    public int window;

    NullBlkModule module;
    GenDisk disk;
    long blocks;
    /** The warm-up's /sys/block/&lt;dev&gt;/inflight reader ({@link #warmupReader}), null while measuring. */
    private Thread inflightReader;
    private volatile boolean stopReader;

    /** Thrown for a parameter combination that does not exist; JMH reports it and moves on. */
    static final class InvalidCombination extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        InvalidCombination(String m) {
            super(m);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // the message says it all
        }
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams bp) throws InterruptedException {
        DriverKind d = DriverKind.parse(driver);
        Ownership o = Ownership.parse(ownership);
        if (d == DriverKind.RAW && o != Ownership.OFF) {
            throw new InvalidCombination("skipped: driver=raw has no ownership modes (ownership=" + o
                    + " applies to driver=safe)");
        }
        if (!rw.equals("randread") && !rw.equals("randwrite")) {
            throw new InvalidCombination("rw=" + rw + ": allowed randread, randwrite");
        }
        int threads = bp.getThreads();
        String p = "iostats=0 poll_queues=0 irqmode=" + irqmode + " submit_queues=" + threads
                + (memory_backed == 1 ? " memory_backed=1 size=256" : "");
        module = NullBlkModule.load(p, d, o);
        disk = module.device(0).disk();
        disk.setScheduler(ioscheduler);
        blocks = (disk.capacity() << 9) / 4096;
        if (memory_backed == 1) {
            precondition();
        }
    }

    /** Writes every block once, synchronously, so reads find stored pages and writes overwrite. */
    private void precondition() throws InterruptedException {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        Bio bio = new Bio();
        java.util.concurrent.Semaphore done = new java.util.concurrent.Semaphore(0);
        try (SwQueue q = disk.openQueue()) {
            for (long off = 0; off < disk.capacity() << 9; off += buf.capacity()) {
                q.submitBio(bio.set(ReqOp.WRITE, off >>> 9, buf.capacity(), buf, 0, 0, b -> done.release()));
                done.acquire();
                if (bio.status() != BlkStatus.OK) {
                    throw new IllegalStateException("precondition write failed: " + bio.status());
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void teardown() {
        if (module != null) {
            module.close();
        }
    }

    /**
     * During warm-up iterations only, reads /sys/block/&lt;dev&gt;/inflight in a loop, as compare's
     * warm-up does (jblk.bench.CompareWorker): the tag iterators take {@code rq->ref} on busy requests,
     * so now and then an end's put is not the last one and the iterator's put frees the tag. The timeout
     * scan does the same every few seconds; without this the warm-up never took those branches, C2
     * compiled them as traps, and the first scan during a measured iteration deoptimised the submit or
     * completion path, which then ran C1 code (where the per-issue token is allocated) until C2 had
     * compiled it again: 1-15 B/op in that iteration.
     */
    @Setup(Level.Iteration)
    public void warmupReader(IterationParams ip) {
        if (ip.getType() != IterationType.WARMUP) {
            return;
        }
        stopReader = false;
        inflightReader = new Thread(() -> {
            while (!stopReader) {
                disk.inflight();
                Thread.yield(); // often: an iterator must hold a request while it ends, many times
            }
        }, "warmup-inflight-reader");
        inflightReader.setDaemon(true);
        inflightReader.start();
    }

    @TearDown(Level.Iteration)
    public void stopWarmupReader() throws InterruptedException {
        if (inflightReader != null) {
            stopReader = true;
            inflightReader.join();
            inflightReader = null;
        }
    }

    /** One submitting thread: its software queue, its window of bios, the completions handed back. */
    @State(Scope.Thread)
    public static class Job {
        SwQueue queue;
        Bio[] bios;
        /** Slots completed on another thread, pushed lock-free; taken by this thread. */
        final java.util.concurrent.atomic.AtomicInteger head = new java.util.concurrent.atomic.AtomicInteger(-1);
        int[] next;
        int ready = -1;
        long rnd = 0x2545F4914F6CDD1DL;
        long blocks;
        boolean inline;
        volatile boolean parked;
        volatile Thread owner;
        ReqOp op;
        int inflight;

        @Setup(Level.Trial)
        public void open(NullBlkBench b) {
            queue = b.disk.openQueue();
            blocks = b.blocks;
            inline = b.irqmode == 0;
            op = b.rw.equals("randwrite") ? ReqOp.WRITE : ReqOp.READ;
            rnd ^= queue.index() * 0x9E3779B97F4A7C15L;
            int n = inline ? 1 : b.window;
            ByteBuffer slab = ByteBuffer.allocateDirect(n * 4096 + 4096).alignedSlice(4096);
            bios = new Bio[n];
            next = new int[n];
            for (int i = 0; i < n; i++) {
                int slot = i;
                BioEndIo cb = inline ? bio -> { } : bio -> push(slot);
                bios[i] = new Bio().set(op, 0, 4096, slab, i * 4096, 0, cb);
            }
            if (!inline) {
                for (int i = 0; i < n; i++) {
                    submit(i);
                }
            }
        }

        void push(int slot) {
            int h;
            do {
                h = head.get();
                next[slot] = h;
            } while (!head.compareAndSet(h, slot));
            if (parked) {
                Thread t = owner;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }

        void submit(int i) {
            inflight++;
            queue.submitBio(bios[i].sector(nextBlock() << 3));
        }

        /** One I/O: inline, submit and it is done; otherwise reap one completion and resubmit its slot. */
        BlkStatus io() {
            if (inline) {
                Bio b = bios[0];
                queue.submitBio(b.sector(nextBlock() << 3));
                return b.status();
            }
            int i = ready;
            if (i < 0) {
                int spins = 0;
                while (head.get() < 0) { // read before the exchange: do not steal the line from the producer
                    if (++spins < 32) {
                        Thread.onSpinWait();
                    } else {
                        // 2 cores shared with the softirq threads: park (as the fio-style driver does)
                        if (owner == null) {
                            owner = Thread.currentThread();
                        }
                        parked = true;
                        if (head.get() < 0) {
                            LockSupport.parkNanos(this, 200_000L);
                        }
                        parked = false;
                    }
                }
                i = head.getAndSet(-1);
            }
            ready = next[i];
            inflight--;
            BlkStatus st = bios[i].status();
            submit(i);
            return st;
        }

        private long nextBlock() {
            long x = rnd;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            rnd = x;
            return Math.multiplyHigh(x, blocks) + ((x >> 63) & blocks);
        }

        @TearDown(Level.Trial)
        public void close() {
            // wait for the window to drain before the device goes
            while (inflight > 0) {
                int i = ready >= 0 ? ready : head.getAndSet(-1);
                while (i >= 0) {
                    inflight--;
                    i = next[i];
                }
                ready = -1;
                if (inflight > 0) {
                    Thread.onSpinWait();
                }
            }
            queue.close();
        }
    }

    @Benchmark
    @Threads(1)
    public BlkStatus oneJob(Job j) {
        return j.io();
    }

    @Benchmark
    @Threads(2)
    public BlkStatus twoJobs(Job j) {
        return j.io();
    }
}
