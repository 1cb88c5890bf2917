package jblk.nullblk;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Models {@code struct fault_attr} and {@code should_fail} (lib/fault-inject.c) as null_blk uses
 * them for its timeout, requeue and init_hctx injection: configured by the string
 * {@code "<interval>,<probability>,<space>,<times>"}. Probability is a percentage; interval N fires
 * on every Nth eligible call; the first {@code space} calls are skipped; {@code times} is how many
 * failures in all, -1 for unlimited.
 */
public final class FaultInject {
    private final String spec;
    private final long interval;
    private final int probability;
    private final AtomicLong space;
    private final AtomicLong times;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong fired = new AtomicLong();
    private final Random random;

    private FaultInject(String spec, long interval, int probability, long space, long times, Random random) {
        this.spec = spec;
        this.interval = interval;
        this.probability = probability;
        this.space = new AtomicLong(space);
        this.times = new AtomicLong(times);
        this.random = random;
    }

    /**
     * Parses a fault specification for parameter {@code param}; "" means never fail (returns null).
     *
     * @throws IllegalArgumentException naming the parameter, the value and the expected format
     */
    public static FaultInject parse(String param, String spec, Random random) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        String[] f = spec.trim().split(",");
        String format = param + "=" + spec + " is invalid: expected <interval>,<probability>,<space>,<times>"
                + " (interval >= 1, probability 0..100 percent, space >= 0, times >= 1 or -1 for unlimited)";
        if (f.length != 4) {
            throw new IllegalArgumentException(format);
        }
        long interval;
        int prob;
        long space;
        long times;
        try {
            interval = Long.parseLong(f[0].trim());
            prob = Integer.parseInt(f[1].trim());
            space = Long.parseLong(f[2].trim());
            times = Long.parseLong(f[3].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(format);
        }
        if (interval < 1 || prob < 0 || prob > 100 || space < 0 || (times < 1 && times != -1)) {
            throw new IllegalArgumentException(format);
        }
        return new FaultInject(spec.trim(), interval, prob, space, times, random);
    }

    /** {@code should_fail(attr, 1)}. Thread-safe. */
    public boolean shouldFail() {
        if (probability == 0 || times.get() == 0) {
            return false;
        }
        if (space.get() > 1 && space.getAndDecrement() > 1) {
            return false;
        }
        if (interval > 1 && count.incrementAndGet() % interval != 0) {
            return false;
        }
        if (probability < 100 && probability <= random.nextInt(100)) {
            return false;
        }
        while (true) {
            long t = times.get();
            if (t == 0) {
                return false;
            }
            if (t == -1 || times.compareAndSet(t, t - 1)) {
                fired.incrementAndGet();
                return true;
            }
        }
    }

    /** How many times this fault fired. */
    public long fired() {
        return fired.get();
    }

    public String spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec;
    }
}
