package jblk.blockcore;

/**
 * The queue's "jiffies": a millisecond clock advanced by the timeout scanner, so the hot path
 * (request start, allocation age) reads a field instead of calling {@code System.nanoTime()}
 * (about 21 ns here). Padded so its periodic write does not disturb neighbouring fields.
 */
final class CoarseClock extends CoarseClockValue {
    long q1, q2, q3, q4, q5, q6, q7;

    long get() {
        return value;
    }

    void set(long ms) {
        value = ms;
    }
}

abstract class CoarseClockPad {
    long p1, p2, p3, p4, p5, p6, p7;
}

abstract class CoarseClockValue extends CoarseClockPad {
    volatile long value;
}
