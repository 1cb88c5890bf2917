package jblk.bench;

import java.util.List;

/**
 * The JVM options that keep the hot path in one compiled shape, for compare's workers and JMH's
 * forks alike. blk_add_timer's "arm the timer" branch runs once per timer period (~6 s), never in a
 * short warm-up, so C2 compiles it as a trap; when the timer first fires in a JVM's life the trap
 * deoptimises the whole inlined submit path and C2 recompiles it, now unable to inline callees
 * already compiled big (InlineSmallCode), into a shape up to 30% slower or faster. Out of line,
 * only TimeoutTimer.add itself recompiles, the same in every variant ({@code HotPathShapeTest}).
 */
public final class StableJit {
    /** First: CompileCommand otherwise prints to stdout, which is compare's worker protocol. */
    public static final String QUIET = "-XX:CompileCommand=quiet";
    /** The timer arming, out of the inlined submit path. */
    public static final String TIMER_OUT_OF_LINE = "-XX:CompileCommand=dontinline,jblk.blockcore.TimeoutTimer::add";
    /** Both, in order. */
    static final List<String> OPTIONS = List.of(QUIET, TIMER_OUT_OF_LINE);

    private StableJit() {
    }
}
