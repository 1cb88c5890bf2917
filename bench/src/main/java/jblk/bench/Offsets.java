package jblk.bench;

/**
 * Where a job's next I/O goes and in which direction: fio's random offsets (here a per-job
 * xorshift64 generator, every block of the region equally likely, fio's norandommap) or sequential
 * offsets that wrap at the end of the region, and the rwmixread draw. One per job, not thread safe,
 * allocation-free.
 */
final class Offsets {
    private final long start;
    private final long end;
    private final long blocks;
    private final int bs;
    private long seq;
    private long rnd;

    /** The region {@code [start, start + blocks * bs)}. */
    Offsets(long start, long blocks, int bs, long seed) {
        this.start = start;
        this.blocks = blocks;
        this.bs = bs;
        this.end = start + blocks * bs;
        this.seq = start;
        this.rnd = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    /** The next xorshift64 value (never 0). */
    long nextRandom() {
        long x = rnd;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        rnd = x;
        return x;
    }

    /** A uniformly random block's offset: the high half of an unsigned 64x64 product, no division. */
    long random() {
        long x = nextRandom();
        return start + (Math.multiplyHigh(x, blocks) + ((x >> 63) & blocks)) * bs;
    }

    /** The next block in order, wrapping at the end of the region (fio does so when time based). */
    long sequential() {
        long off = seq;
        long nx = off + bs;
        seq = nx >= end ? start : nx;
        return off;
    }

    /** A uniform draw in 0..99, for rwmixread. */
    int percent() {
        long x = nextRandom();
        return (int) (Math.multiplyHigh(x, 100L) + ((x >> 63) & 100L));
    }

    /** The block index of an offset in the region. */
    long blockOf(long offset) {
        return (offset - start) / bs;
    }

    long offsetOf(long block) {
        return start + block * bs;
    }
}
