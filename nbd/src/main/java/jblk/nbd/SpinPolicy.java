package jblk.nbd;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long a connection's reader polls its socket before it goes to sleep, and how many readers
 * may poll at once (server-wide). Polling pays when a client sends its next request within a few
 * tens of microseconds, as fio at queue depth 1 or 32 does: the request is picked up without the
 * reader sleeping and the client paying for its wake-up, which on a virtual machine costs more
 * than the request itself. It costs a CPU while it lasts, so at most {@code maxSpinners} readers
 * poll at a time (by default one fewer than the CPUs, at least one) and a reader whose polls keep
 * coming up empty stops polling for a while ({@link WireInput}).
 */
public final class SpinPolicy {
    /** The default poll time: covers a fio round trip at queue depth 1 on this kind of machine. */
    public static final long DEFAULT_SPIN_NANOS = 50_000L;

    private final long spinNanos;
    private final int maxSpinners;
    private final AtomicInteger spinners = new AtomicInteger();

    public SpinPolicy(long spinNanos, int maxSpinners) {
        if (spinNanos < 0 || spinNanos > 10_000_000L) {
            throw new IllegalArgumentException("spin time " + spinNanos / 1000
                    + " us is out of range: allowed 0..10000 us");
        }
        if (maxSpinners < 1) {
            throw new IllegalArgumentException("max spinners " + maxSpinners + " is out of range: allowed 1 or more");
        }
        this.spinNanos = spinNanos;
        this.maxSpinners = maxSpinners;
    }

    /** {@code spinNanos} per wait, with at most (CPUs - 1, at least 1) readers polling at once. */
    public static SpinPolicy of(long spinNanos) {
        return new SpinPolicy(spinNanos, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    public static SpinPolicy none() {
        return new SpinPolicy(0, 1);
    }

    public long spinNanos() {
        return spinNanos;
    }

    public int maxSpinners() {
        return maxSpinners;
    }

    /** Takes a polling turn; false when polling is off or enough readers poll already. */
    boolean tryStart() {
        if (spinNanos == 0) {
            return false;
        }
        int n;
        do {
            n = spinners.get();
            if (n >= maxSpinners) {
                return false;
            }
        } while (!spinners.compareAndSet(n, n + 1));
        return true;
    }

    void end() {
        spinners.decrementAndGet();
    }

    @Override
    public String toString() {
        return spinNanos == 0 ? "no polling" : "poll " + spinNanos / 1000 + " us, at most " + maxSpinners
                + " reader(s)";
    }
}
