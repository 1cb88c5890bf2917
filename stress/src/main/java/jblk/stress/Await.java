package jblk.stress;

import java.util.function.BooleanSupplier;

/** The race tests' bounded wait: an arbiter or actor waiting for the other side of a race. */
public final class Await {
    private Await() {
    }

    /** Waits (yielding, at most 10 s) until {@code done} says so; false on timeout. */
    public static boolean until(BooleanSupplier done) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }
}
