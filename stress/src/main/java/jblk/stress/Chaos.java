package jblk.stress;

import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Reconfigures one device while its I/O runs: changes {@code submit_queues} (the hardware queues
 * are rebuilt under a freeze), freezes and unfreezes, quiesces and unquiesces, at random
 * intervals until the deadline.
 */
final class Chaos implements Runnable {
    final DeviceRun run;
    private final SplittableRandom rng;
    private final long deadlineNs;
    final Thread thread;
    volatile Throwable failure;

    Chaos(DeviceRun run, long seed, long deadlineNs) {
        this.run = run;
        this.rng = new SplittableRandom(seed);
        this.deadlineNs = deadlineNs;
        this.thread = new Thread(this, "torture-" + run.label + "-chaos");
        this.thread.setDaemon(true);
    }

    @Override
    public void run() {
        try {
            while (System.nanoTime() - deadlineNs < 0) {
                sleepMs(10 + rng.nextInt(50));
                int p = rng.nextInt(10);
                if (p < 3) {
                    int queues = 1 + rng.nextInt(4);
                    run.dev.set("submit_queues", Integer.toString(queues));
                    run.tally.submitQueueChanges.increment();
                } else if (p < 6) {
                    run.disk.freeze();
                    sleepMs(1 + rng.nextInt(5));
                    run.disk.unfreeze();
                    run.tally.freezes.increment();
                } else if (p < 8) {
                    run.disk.quiesce();
                    sleepMs(1 + rng.nextInt(5));
                    run.disk.unquiesce();
                    run.tally.quiesces.increment();
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            run.tally.problem(run.label + ": reconfiguration failed: " + e);
        }
    }

    private static void sleepMs(long ms) {
        LockSupport.parkNanos(ms * 1_000_000L);
    }

    void start() {
        thread.start();
    }
}
