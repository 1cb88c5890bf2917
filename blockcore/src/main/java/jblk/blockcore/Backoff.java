package jblk.blockcore;

import java.util.concurrent.locks.LockSupport;

/** Spin, then yield, then sleep in growing steps (up to 1 ms): waits on slow paths. */
final class Backoff {
    private int n;

    void idle() {
        n++;
        if (n < 100) {
            Thread.onSpinWait();
        } else if (n < 120) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.min(1_000_000L, 10_000L << Math.min(7, (n - 120) / 10)));
        }
    }
}
