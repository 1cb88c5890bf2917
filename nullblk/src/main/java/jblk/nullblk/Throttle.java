package jblk.nullblk;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;

/**
 * null_blk's bandwidth cap ({@code mbps}; {@code null_handle_throttled} and the bandwidth
 * hrtimer): a byte budget of {@code mbps} MiB/s refilled (set, not added) every 20 ms tick. A
 * request over budget stops the hardware queues and returns DEV_RESOURCE; the next tick restarts
 * them.
 *
 * <p>One difference from the kernel: there a request larger than one tick's budget can never pass
 * (the budget never accumulates). Here a request that finds the full tick budget passes (the budget
 * goes negative and the queues stay stopped longer), so a slow cap throttles big I/O instead of
 * hanging it.
 */
final class Throttle implements Runnable {
    static final int TICKS_PER_SEC = 50;
    static final long TICK_NS = 1_000_000_000L / TICKS_PER_SEC;

    final long mbPerTick;
    private final AtomicLong curBytes;
    private final Thread thread;
    private volatile GenDisk disk;
    private volatile boolean stopped;
    final AtomicLong throttled = new AtomicLong();

    Throttle(String name, int mbps) {
        this.mbPerTick = (long) ((1 << 20) / TICKS_PER_SEC) * mbps;
        this.curBytes = new AtomicLong(mbPerTick);
        this.thread = new Thread(this, "jblk-" + name + "-bw");
        this.thread.setDaemon(true);
    }

    void start(GenDisk d) {
        this.disk = d;
        thread.start();
    }

    /** Charges a request of {@code bytes}; DEV_RESOURCE (queues stopped) when over budget. */
    BlkStatus charge(int bytes) {
        long before = curBytes.getAndAdd(-bytes);
        if (before - bytes < 0 && before < mbPerTick) {
            throttled.incrementAndGet();
            GenDisk d = disk;
            BlkMq.stopHwQueues(d);
            if (curBytes.get() > 0) {
                BlkMq.startStoppedHwQueues(d, true); // raced with a refill
            }
            return BlkStatus.DEV_RESOURCE;
        }
        return BlkStatus.OK;
    }

    @Override
    public void run() {
        long next = System.nanoTime() + TICK_NS;
        while (!stopped) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            next += TICK_NS;
            if (curBytes.get() != mbPerTick) {
                curBytes.set(mbPerTick);
                BlkMq.startStoppedHwQueues(disk, true);
            }
        }
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        GenDisk d = disk;
        if (d != null && !d.isClosed()) {
            BlkMq.startStoppedHwQueues(d, true);
        }
    }
}
