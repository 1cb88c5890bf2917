package jblk.bench.jmh;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's floor for the numbers the comparison argues with: one uncontended CAS (what
 * checked mode adds per request, in theory), a plain store (what off does instead), and
 * {@code System.nanoTime} (why the drivers time only sampled I/Os).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloorBench {
    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(FloorBench.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long word;
    private long plain;

    /** One uncontended compare-and-set on a field (the ownership token's state-word CAS). */
    @Benchmark
    public boolean cas() {
        long w = word;
        return WORD.compareAndSet(this, w, w + 1);
    }

    /** The plain read-modify-write mode off does on the same word. */
    @Benchmark
    public long plainStore() {
        long w = plain + 1;
        plain = w;
        return w;
    }

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }
}
