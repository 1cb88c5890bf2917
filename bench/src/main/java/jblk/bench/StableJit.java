package jblk.bench;

import java.util.List;

/**
 * The JVM options that keep the hot path in one compiled shape, for compare's workers and JMH's
 * forks alike.
 *
 * <p>blk_add_timer's "arm the timer" branch runs once per timer period (~6 s), never in a short
 * warm-up, so C2 compiles it as a trap; when the timer first fires in a JVM's life the trap
 * deoptimises the whole inlined submit path and C2 recompiles it, now unable to inline callees
 * already compiled big (InlineSmallCode), into a shape up to 30% slower or faster. Out of line,
 * only TimeoutTimer.add itself recompiles, the same in every variant ({@code HotPathShapeTest}).
 * The submitter's idle spin and the softirq list's push are kept out of line for the same reason:
 * which way their tests go depends on what else runs on the CPU, so a warm-up on a quiet CPU left
 * traps that a busy machine sprang in measured runs ({@code IoJob.pump} made not entrant and
 * recompiled at 9.2-10.2 s of a worker's life, under {@code mvn -B verify} looping beside it).
 *
 * <p>The ownership token is one object per issue (generation, hpref, owned), allocated by the
 * binding's adapter ({@code OperationsVTable.queueRq} and {@code complete}) and handed to the driver;
 * it costs nothing only while C2 inlines the driver's entry point and the token's methods into the
 * adapter, so escape analysis sees the whole life of the object. C2 refuses to inline a callee that
 * it has already compiled on its own into more than {@code InlineSmallCode} (2500) bytes of machine
 * code ("already compiled into a big method"), and null_blk's {@code queueRq} (2.2-5.0 KB: it inlines
 * blockcore's end or completion path, the bio's callback and the memory-backed copy) and the token's
 * {@code end} (2.2-3.2 KB) are compiled on their own whenever C1 code calls them for a while: before
 * the adapter's C2 compile is installed, and after any deoptimisation of the adapter's caller. Which
 * comes first is the compile queue's order, so the same fork allocated 32-40 B per request in one JVM
 * and nothing in the next. Java offers an application no {@code @ForceInline}; these options say the
 * same to C2 for exactly those call edges (forced inlining is exempt from the size check). Mode off
 * runs through the same methods, which C2 inlines anyway when it compiles the adapter first; its time
 * did not change (docs/OWNERSHIP.md, "Allocation").
 */
public final class StableJit {
    /** First: CompileCommand otherwise prints to stdout, which is compare's worker protocol. */
    public static final String QUIET = "-XX:CompileCommand=quiet";
    /** The timer arming, out of the inlined submit path. */
    public static final String TIMER_OUT_OF_LINE = "-XX:CompileCommand=dontinline,jblk.blockcore.TimeoutTimer::add";
    /**
     * The submitter's idle spin, out of the inlined job loop: whether a completion shows up while it
     * spins depends on what else runs on its CPU, so a warm-up on a quiet CPU leaves that exit as a
     * trap, and on a busy machine it deoptimised {@code IoJob.pump} in measured runs. It runs just
     * before a park (microseconds), where a call costs nothing that counts.
     */
    public static final String IDLE_OUT_OF_LINE = "-XX:CompileCommand=dontinline,jblk.bench.IoJob::idle";
    /**
     * The softirq list's push, out of the completion path: its "list was empty and the thread
     * sleeps" test goes one way on a quiet CPU and the other when the softirq thread was preempted
     * (a busy machine), which deoptimised the completion path after warm-up. One call per I/O, in
     * every variant alike.
     */
    public static final String PUSH_OUT_OF_LINE =
            "-XX:CompileCommand=dontinline,jblk.blockcore.CompletionThread::push";
    /**
     * A completion thread's idle step (spin, yield, then park), out of its loop: how far an idle
     * spell gets before work arrives depends on what else runs on the CPU, so a warm-up left the
     * park's branches as traps and a busy machine sprang them in measured runs (SoftirqContext.run
     * recompiled after warm-up, LogCompilation: unstable_if in hasIncoming and sleep inlined via
     * idle). Idle only: no call per I/O.
     */
    public static final String COMPLETION_IDLE_OUT_OF_LINE =
            "-XX:CompileCommand=dontinline,jblk.blockcore.CompletionThread::idle";
    /** Every method of the token's classes ({@code RequestRef} and its strategies' handles). */
    public static final String TOKEN_INLINE = "-XX:CompileCommand=inline,*RequestRef::*";
    /** null_blk's {@code queueRq} (and its generic bridge), which receives the token from the adapter. */
    public static final String QUEUE_RQ_INLINE = "-XX:CompileCommand=inline,jblk.nullblk.NullBlk::queueRq";
    /** null_blk's {@code complete}, which receives the completion's token from the adapter. */
    public static final String COMPLETE_INLINE = "-XX:CompileCommand=inline,jblk.nullblk.NullBlk::complete";
    /** All of them, in order. */
    static final List<String> OPTIONS = List.of(QUIET, TIMER_OUT_OF_LINE, IDLE_OUT_OF_LINE, PUSH_OUT_OF_LINE,
            COMPLETION_IDLE_OUT_OF_LINE, TOKEN_INLINE, QUEUE_RQ_INLINE, COMPLETE_INLINE);

    private StableJit() {
    }
}
