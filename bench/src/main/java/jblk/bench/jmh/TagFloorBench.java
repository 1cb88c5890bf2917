package jblk.bench.jmh;

import java.util.concurrent.TimeUnit;
import jblk.blockcore.sbitmap.SBitmapQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under one request: what a tag costs with nothing else, measured on the kernel library
 * blockcore's tags are built on ({@link SBitmapQueue}, lib/sbitmap.c). {@code tagAllocFree}: one
 * allocation (a CAS) and one free (an atomic AND).
 * {@code tagAllocFreeTwoCalls}: the same plus two calls that are not inlined, standing for the
 * driver's queue_rq and the bio's end_io, the least a request does besides its tag.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TagFloorBench {
    private final SBitmapQueue tags = new SBitmapQueue(64);
    private int hint;
    @SuppressWarnings("UnusedVariable") // only written: the out-of-line calls' stores stand for a driver's work
    private long sink;

    @Benchmark
    public int tagAllocFree() {
        int t = tags.get(hint);
        tags.clear(t);
        hint = t; // the freed tag is the next hint, as blk-mq's per-CPU hint
        return t;
    }

    @Benchmark
    public int tagAllocFreeTwoCalls() {
        int t = tags.get(hint);
        queueRq(t);
        endIo(t);
        tags.clear(t);
        hint = t;
        return t;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void queueRq(int tag) {
        sink += tag;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private void endIo(int tag) {
        sink ^= tag;
    }
}
