package jblk.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import jblk.blockcore.Bio;
import jblk.blockcore.BioEndIo;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.Errno;
import jblk.blockcore.HctxType;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import org.HdrHistogram.Histogram;

/**
 * One fio job (the workload driver shared by {@code bench}, {@code compare} and the tests): one
 * submitter thread with its own software queue, {@code iodepth} preallocated bios and buffers,
 * keeping {@code iodepth} I/Os in flight and resubmitting as they complete.
 *
 * <p>Completion callbacks never resubmit (that would recurse into the block layer from inside a
 * completion). A callback on another thread (softirq, timer) pushes the slot onto a lock-free
 * {@link CompletionStack} and unparks the submitter if it sleeps; a callback running inline on the
 * submitter (irqmode=0: the bio is done when submitBio returns) appends the slot to a plain array,
 * no atomics. The submitter alone reaps, accounts and resubmits, so statistics and histograms have
 * a single writer. Nothing is allocated per I/O.
 *
 * <p>Phases, set by the {@link WorkloadRunner}: RAMP (I/O runs, nothing is counted), MEASURE
 * (I/Os submitted and completed in it are counted and, sampled, their latency recorded), STOP
 * (in-flight I/O drains, uncounted). A job with an I/O limit (not time based) stops itself after submitting that much
 * and counts its drain. With verify, a verify phase follows: every written block is read back.
 * Orthogonal to the phase, {@link #pause()} stops submitting (what is in flight completes and is
 * counted) until {@link #resume()}: {@code ./jblk compare} takes turns between variants that way.
 */
final class IoJob implements Runnable {
    static final int RAMP = 0;
    static final int MEASURE = 1;
    static final int STOP = 2;
    static final int DIR_READ = 0;
    static final int DIR_WRITE = 1;
    /** Latencies above this (60 s) are clamped into the top bucket. */
    static final long MAX_LATENCY_NS = 60_000_000_000L;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();
    /**
     * How long a submitter with nothing to do polls before it parks (the callback unparks it).
     * Short, and no Thread.yield: on 2 shared cores, yielding hands the CPU to other processes and
     * spinning keeps it from the completion thread; both measured worse than parking here.
     * Override with -Djblk.bench.spins / -Djblk.bench.yields to experiment.
     */
    private static final int SPINS = Integer.getInteger("jblk.bench.spins", 32);
    private static final int YIELDS = Integer.getInteger("jblk.bench.yields", 0);
    private static final long PARK_NS = 200_000L;

    final JobSpec spec;
    final SwQueue queue;
    final Thread thread;
    private final int depth;
    private final int bs;
    private final Bio[] bios;
    private final ByteBuffer[] views;
    private final long[] submitNs;
    private final long[] doneNs;
    /** Slots completed inline on the submitter thread (owner-only, plain). */
    private final int[] local;
    private int localCount;
    private final CompletionStack remote;
    private final int[] free;
    private int freeCount;
    private volatile boolean parked;
    private volatile int phase = RAMP;
    /** {@link #pause()}d: submit nothing until {@link #resume()} (the runner's turn taking). */
    private volatile boolean paused;
    private volatile boolean finished;

    // offsets and directions
    private final Offsets offsets;
    private final boolean mixed;
    private final boolean random;
    private final int rwmixread;
    /** The op of a job that only reads or only writes. */
    private final ReqOp fixedOp;
    private final long sampleMask;
    private long sampleSeq;
    private final long ioLimit;
    private long measuredSubmits;

    // statistics: counts[dir] and bytes[dir] are read by the runner with opaque reads while we run
    private final long[] counts = new long[2];
    private final long[] bytes = new long[2];
    final Histogram[] latency = {newHistogram(), newHistogram()};
    private long submittedTotal;
    private long completedTotal;
    private int inflight;
    private boolean stopSelf;

    /** fio's zonemode=zbd: where writes go (zone write pointers, open zones, resets), or null. */
    private final ZbdJob zbd;
    /** Set by a zbd submit that found nothing to write until in-flight I/O completes. */
    private boolean zbdWait;

    // errors and verification
    private int error;
    private String errorDetail;
    private volatile Throwable failure;
    private final BlockVerifier verifier;
    private final WrittenBlocks written;
    private final boolean checkReads;
    private boolean verifying;
    private long verified;
    private final long[] slotOffset;
    /** Whether the slot's current I/O was submitted in the measured window (only those count). */
    private final boolean[] slotMeasured;
    /** With verify: the block each slot's in-flight write goes to, else -1 (finds overlapping writes). */
    private final long[] slotWriteBlock;
    /** fio's numberio: this job's writes issued so far; each verified block carries its write's. */
    private long numberio;
    /** This thread's CPU time (total, user) from entering the measured window to the end of the main phase. */
    private long cpuStartNs = -1;
    private long userStartNs = -1;
    private long cpuNs;
    private long userNs;
    private Consumer<Thread> starter = Thread::start;
    /** When the main phase ended by the job's own decision (I/O limit, error), else 0. */
    private volatile long selfStopNs;

    IoJob(JobSpec spec, SwQueue queue, int index) {
        this(spec, queue, index, null);
    }

    /** A job in fio's zonemode=zbd when {@code zbd} is not null. */
    IoJob(JobSpec spec, SwQueue queue, int index, ZbdJob zbd) {
        this.zbd = zbd;
        this.spec = spec;
        this.queue = queue;
        this.thread = new Thread(this, "jblk-job-" + index + "-" + spec.name());
        this.thread.setDaemon(true);
        this.depth = spec.iodepth();
        this.bs = spec.bs();
        this.offsets = new Offsets(spec.offset(), spec.blocks(), bs, spec.seed());
        this.mixed = spec.rw().mixed();
        this.random = spec.rw().random;
        this.rwmixread = spec.rwmixread();
        this.fixedOp = spec.rw().reads ? ReqOp.READ : ReqOp.WRITE;
        this.sampleMask = (1L << spec.latencySampleShift()) - 1;
        this.ioLimit = spec.ioLimitBytes() == 0 ? Long.MAX_VALUE : Math.max(1, spec.ioLimitBytes() / bs);
        this.bios = new Bio[depth];
        this.views = new ByteBuffer[depth];
        this.submitNs = new long[depth];
        this.doneNs = new long[depth];
        this.slotOffset = new long[depth];
        this.slotMeasured = new boolean[depth];
        this.slotWriteBlock = new long[depth];
        Arrays.fill(slotWriteBlock, -1L);
        this.local = new int[depth];
        this.free = new int[depth];
        this.remote = new CompletionStack(depth);
        ByteBuffer slab = ByteBuffer.allocateDirect(depth * bs + 4096).alignedSlice(4096);
        // fio fills write buffers with random data once (refill_buffers off): do the same
        Offsets fill = new Offsets(0, 1, bs, ~spec.seed());
        for (int i = 0; i + 8 <= depth * bs; i += 8) {
            slab.putLong(i, fill.nextRandom());
        }
        for (int i = 0; i < depth; i++) {
            views[i] = slab.slice(i * bs, bs);
            bios[i] = new Bio().set(ReqOp.READ, 0, bs, slab, i * bs, 0, new SlotEndIo(this, i));
            free[freeCount++] = i;
        }
        this.verifier = spec.verifying() ? new BlockVerifier(spec.verify()) : null;
        this.written = spec.verifying() && spec.rw().writes ? new WrittenBlocks(spec.blocks(), bs) : null;
        this.checkReads = spec.verifying() && !spec.rw().writes;
    }

    /** The latency histogram every report merges into: one range and precision for all. */
    static Histogram newHistogram() {
        return new Histogram(1, MAX_LATENCY_NS, 3);
    }

    /** The hardware queue this job's software queue maps to. */
    int hctxIndex() {
        return queue.hctx(HctxType.DEFAULT).queueNum();
    }

    // ---- control (runner thread) -------------------------------------------------------------

    void start() {
        starter.accept(thread);
    }

    /** Starts the submitter through {@code s} (a {@link PinnedStarter}, so it runs on the job's CPU). */
    void startWith(Consumer<Thread> s) {
        starter = s;
    }

    void setPhase(int p) {
        phase = p;
        if (thread.isAlive()) {
            LockSupport.unpark(thread);
        }
    }

    /** Stops submitting until {@link #resume()}; the I/O in flight completes and counts in its phase. */
    void pause() {
        paused = true;
    }

    /** Submits again after {@link #pause()}. */
    void resume() {
        paused = false;
        if (thread.isAlive()) {
            LockSupport.unpark(thread);
        }
    }

    boolean finished() {
        return finished;
    }

    /** I/Os completed in the measured window so far, for direction {@code dir} (any thread). */
    long count(int dir) {
        return (long) LONGS.getOpaque(counts, dir);
    }

    long bytes(int dir) {
        return (long) LONGS.getOpaque(bytes, dir);
    }

    // ---- results (after the thread ended) -----------------------------------------------------

    long submittedTotal() {
        return submittedTotal;
    }

    long completedTotal() {
        return completedTotal;
    }

    int error() {
        return error;
    }

    String errorDetail() {
        return errorDetail;
    }

    Throwable failure() {
        return failure;
    }

    /** Blocks read back and checked in the verify phase (or on read, for a read-only verify job). */
    long verified() {
        return verified;
    }

    /** CPU time of the submitter in the measured window (ns; -1 where the JVM does not measure it). */
    long cpuNs() {
        return cpuStartNs < 0 ? -1 : cpuNs;
    }

    long userNs() {
        return cpuStartNs < 0 ? -1 : userNs;
    }

    /** When the job stopped itself (I/O limit, error), else 0 (any thread). */
    long selfStopNs() {
        return selfStopNs;
    }

    // ---- the submitter ---------------------------------------------------------------------------

    @Override
    public void run() {
        try {
            pump();
            long end = System.nanoTime();
            if (cpuStartNs >= 0) {
                cpuNs = CPU.getCurrentThreadCpuTime() - cpuStartNs;
                userNs = CPU.getCurrentThreadUserTime() - userStartNs;
            }
            if (stopSelf) {
                selfStopNs = end;
            }
            if (written != null && spec.doVerify() && error == 0) {
                verifying = true;
                stopSelf = false;
                pump();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            finished = true;
        }
    }

    /**
     * Keeps the window full until stopped (the runner's STOP, or the job's own: I/O limit, error,
     * nothing left to verify), then drains. The verify pass ignores the runner's phase.
     */
    private void pump() {
        int ph;
        while (((ph = phase) != STOP || verifying) && !stopSelf) {
            if (ph == MEASURE && cpuStartNs < 0 && !verifying) {
                cpuStartNs = CPU.getCurrentThreadCpuTime();
                userStartNs = CPU.getCurrentThreadUserTime();
            }
            if (paused && !verifying) {
                waitPaused(ph);
                continue;
            }
            while (freeCount > 0) {
                if (ph == MEASURE && measuredSubmits >= ioLimit && !verifying) {
                    stopSelf = true;
                    break;
                }
                int slot = free[--freeCount];
                if (!submit(slot, ph)) {
                    free[freeCount++] = slot;
                    if (!zbdWait) {
                        stopSelf = true;
                    }
                    zbdWait = false;
                    break;
                }
            }
            boolean reaped = reapLocal(ph);
            if (remote.nonEmpty()) {
                reapRemote(ph);
            } else if (!reaped && freeCount == 0) {
                idle(ph);
            }
        }
        while (inflight > 0) {
            ph = phase;
            boolean reaped = reapLocal(ph);
            if (remote.nonEmpty()) {
                reapRemote(ph);
            } else if (!reaped) {
                idle(ph);
            }
        }
    }

    /**
     * Sets up and submits slot {@code i}; false when there is nothing more to submit (verify done).
     * The plain path is kept small so the JIT inlines it into the loop; verification is out of line.
     */
    private boolean submit(int i, int ph) {
        if (zbd != null) {
            return submitZbd(i, ph);
        }
        if (verifier != null) {
            return submitVerifying(i, ph);
        }
        ReqOp op = mixed ? (offsets.percent() < rwmixread ? ReqOp.READ : ReqOp.WRITE) : fixedOp;
        long off = random ? offsets.random() : offsets.sequential();
        if (ph == MEASURE) {
            measuredSubmits++;
        }
        issue(i, op, off, ph == MEASURE);
        return true;
    }

    private boolean submitVerifying(int i, int ph) {
        if (verifying) {
            long blk = written.next();
            if (blk < 0) {
                return false;
            }
            long off = offsets.offsetOf(blk);
            BlockVerifier.poison(views[i]);
            issue(i, ReqOp.READ, off, false);
            return true;
        }
        ReqOp op = mixed ? (offsets.percent() < rwmixread ? ReqOp.READ : ReqOp.WRITE) : fixedOp;
        long off = random ? offsets.random() : offsets.sequential();
        slotWriteBlock[i] = -1L;
        if (op == ReqOp.WRITE) {
            long blk = offsets.blockOf(off);
            boolean overlaps = false;
            for (long other : slotWriteBlock) {
                overlaps |= other == blk;
            }
            verifier.fill(views[i], off, offsets.nextRandom(), ++numberio);
            written.issued(blk, numberio, overlaps);
            slotWriteBlock[i] = blk;
        } else if (checkReads) {
            BlockVerifier.poison(views[i]);
        }
        if (ph == MEASURE) {
            measuredSubmits++;
        }
        issue(i, op, off, ph == MEASURE);
        return true;
    }

    /** zonemode=zbd: offsets from the zone bookkeeping; a zone reset takes the slot now and then. */
    private boolean submitZbd(int i, int ph) {
        if (verifying) {
            return submitVerifying(i, ph);
        }
        ReqOp op = mixed ? (offsets.percent() < rwmixread ? ReqOp.READ : ReqOp.WRITE) : fixedOp;
        long off;
        if (op == ReqOp.WRITE) {
            off = zbd.nextWrite(random);
            if (off == ZbdJob.RESET) {
                bios[i].size(0);
                issue(i, ReqOp.ZONE_RESET, zbd.zoneStart(zbd.resetZone), false);
                return true;
            }
            if (off == ZbdJob.WAIT) {
                zbdWait = true;
                idle(ph);
                return false;
            }
            if (off == ZbdJob.END) {
                return false;
            }
            if (verifier != null) {
                long blk = offsets.blockOf(off);
                verifier.fill(views[i], off, offsets.nextRandom(), ++numberio);
                written.issued(blk, numberio, false); // one write per zone in flight: none overlap
            }
        } else {
            off = zbd.nextRead();
            if (off < 0) {
                fail(Errno.ENODATA, "zonemode=zbd: no zone holds data to read (reads go below a write pointer)");
                return false;
            }
            if (checkReads) {
                BlockVerifier.poison(views[i]);
            }
        }
        if (ph == MEASURE) {
            measuredSubmits++;
        }
        issue(i, op, off, ph == MEASURE);
        return true;
    }

    /** zonemode=zbd bookkeeping of a completion; true for a zone reset, which is not a counted I/O. */
    private boolean zbdDone(int i, Bio bio) {
        if (bio.op() != ReqOp.ZONE_RESET) {
            zbd.done(slotOffset[i]);
            return false;
        }
        bio.size(bs);
        int z = zbd.zoneOf(slotOffset[i]);
        boolean ok = bio.status() == BlkStatus.OK;
        zbd.resetDone(z, ok);
        if (!ok) {
            failed(i, bio);
        } else if (written != null) {
            long first = offsets.blockOf(zbd.zoneStart(z));
            for (long b = 0; b < zbd.zoneBytes() / bs; b++) {
                written.clear(first + b); // the reset discarded them: nothing to read back
            }
        }
        return true;
    }

    private void issue(int i, ReqOp op, long off, boolean measured) {
        Bio bio = bios[i];
        slotOffset[i] = off;
        slotMeasured[i] = measured;
        bio.op(op).sector(off >>> Bio.SECTOR_SHIFT);
        submitNs[i] = (sampleSeq++ & sampleMask) == 0 ? System.nanoTime() : 0L;
        inflight++;
        submittedTotal++;
        queue.submitBio(bio);
    }

    private boolean reapLocal(int ph) {
        int n = localCount;
        if (n == 0) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            complete(local[k], ph);
        }
        localCount = 0;
        return true;
    }

    private void reapRemote(int ph) {
        int i = remote.takeAll();
        while (i >= 0) {
            int next = remote.next(i);
            complete(i, ph);
            i = next;
        }
    }

    /** Accounts a completed slot and returns it to the free list (small: it inlines into the loop). */
    @SuppressWarnings("ShortCircuitBoolean") // see the accounting test below
    private void complete(int i, int ph) {
        inflight--;
        completedTotal++;
        free[freeCount++] = i;
        Bio bio = bios[i];
        if (zbd != null && !verifying && zbdDone(i, bio)) {
            return;
        }
        if (bio.status() != BlkStatus.OK) {
            failed(i, bio);
            return;
        }
        if (verifier != null && !completeVerifying(i, bio)) {
            return;
        }
        // '&', not '&&': in turns an I/O from the ramp still in flight when the window opens is rare
        // (the pause drains it), so its own branch was a trap that deoptimised complete() after warm-up
        if (ph == MEASURE & slotMeasured[i]) {
            account(i, bio.op() == ReqOp.READ ? DIR_READ : DIR_WRITE, bio.size());
        }
    }

    private void account(int i, int dir, int size) {
        LONGS.setOpaque(counts, dir, counts[dir] + 1);
        LONGS.setOpaque(bytes, dir, bytes[dir] + size);
        long s = submitNs[i];
        if (s != 0) {
            latency[dir].recordValue(Math.max(1, Math.min(doneNs[i] - s, MAX_LATENCY_NS)));
        }
    }

    private void failed(int i, Bio bio) {
        BlkStatus st = bio.status();
        fail(st.errno(), bio.errorDetail() != null ? bio.errorDetail()
                : bio.op() + " at offset " + slotOffset[i] + " failed: " + st);
    }

    /** Checks a verify read or records a verified write; false when the I/O is not to be counted. */
    private boolean completeVerifying(int i, Bio bio) {
        boolean read = bio.op() == ReqOp.READ;
        if (verifying || (checkReads && read)) {
            String bad = verifier.check(views[i], slotOffset[i]);
            if (bad == null && verifying) {
                long blk = offsets.blockOf(slotOffset[i]);
                bad = BlockVerifier.checkNumberio(views[i], slotOffset[i], written.lowest(blk), written.last(blk));
            }
            verified++;
            if (bad != null) {
                fail(Errno.EILSEQ, bad);
                return false;
            }
            return !verifying;
        }
        slotWriteBlock[i] = -1L; // this write has landed: no longer overlaps the next ones
        return true;
    }

    /** fio's default: the first error ends the job; its errno is the job's error. */
    private void fail(int errno, String detail) {
        if (error == 0) {
            error = errno;
            errorDetail = detail;
        }
        stopSelf = true;
    }

    /**
     * Paused: reaps what completes, and with nothing in flight parks without a timeout (a timed
     * park would wake the thread thousands of times a second and charge that CPU to I/Os it did
     * not do) until {@link #resume()} or a phase change unparks it.
     */
    private void waitPaused(int ph) {
        boolean reaped = reapLocal(ph);
        if (remote.nonEmpty()) {
            reapRemote(ph);
        } else if (!reaped) {
            parked = true;
            if (!remote.nonEmpty() && paused && phase == ph) {
                if (inflight == 0) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, PARK_NS);
                }
            }
            parked = false;
        }
    }

    /** Waits for a completion: spin briefly, (optionally yield,) then park until the callback unparks us. */
    private void idle(int ph) {
        for (int s = 0; s < SPINS; s++) {
            if (remote.nonEmpty() || phase != ph) {
                return;
            }
            Thread.onSpinWait();
        }
        for (int y = 0; y < YIELDS; y++) {
            if (remote.nonEmpty() || phase != ph) {
                return;
            }
            Thread.yield();
        }
        parked = true;
        if (!remote.nonEmpty() && phase == ph) {
            LockSupport.parkNanos(this, PARK_NS);
        }
        parked = false;
    }

    /** Completion side, any thread: see the class comment. */
    void onEndIo(int i) {
        if (submitNs[i] != 0) {
            doneNs[i] = System.nanoTime();
        }
        if (Thread.currentThread() == thread) {
            local[localCount++] = i;
            return;
        }
        remote.push(i);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** The callback of one slot: its index is a field, so nothing is looked up or allocated. */
    private static final class SlotEndIo implements BioEndIo {
        private final IoJob job;
        private final int slot;

        SlotEndIo(IoJob job, int slot) {
            this.job = job;
            this.slot = slot;
        }

        @Override
        public void endIo(Bio bio) {
            job.onEndIo(slot);
        }
    }
}
