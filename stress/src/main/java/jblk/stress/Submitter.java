package jblk.stress;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.testkit.Stamp;

/**
 * One torture submitter: a thread with its own software queue that keeps up to {@link #DEPTH}
 * random I/Os in flight on one device until the deadline, then waits for all of them.
 */
final class Submitter implements Runnable {
    static final int DEPTH = 8;
    static final int MAX_RW_SECTORS = 255;
    static final int MAX_ZERO_SECTORS = 1024;

    final DeviceRun run;
    private final SplittableRandom rng;
    private final long deadlineNs;
    private final Semaphore slots = new Semaphore(DEPTH);
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
    final Thread thread;
    volatile boolean drained;

    Submitter(DeviceRun run, int index, long seed, long deadlineNs) {
        this.run = run;
        this.rng = new SplittableRandom(seed);
        this.deadlineNs = deadlineNs;
        for (int i = 0; i < DEPTH; i++) {
            buffers.add(ByteBuffer.allocate(MAX_RW_SECTORS * Stamp.SECTOR));
        }
        this.thread = new Thread(this, "torture-" + run.label + "-submit-" + index);
        this.thread.setDaemon(true);
    }

    @Override
    public void run() {
        SwQueue q = run.disk.openQueue();
        try {
            while (System.nanoTime() - deadlineNs < 0) {
                if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                Io io = next();
                if (io == null) {
                    slots.release();
                    continue;
                }
                run.outstanding.add(io);
                try {
                    q.submitBio(io.bio);
                } catch (RuntimeException e) {
                    run.tally.submitExceptions.increment();
                    run.tally.problem(run.label + ": submitting " + io + " threw " + e);
                    run.release(io);
                }
            }
            // Wait for every I/O of ours (timeouts and leaks take a device timeout or so).
            drained = slots.tryAcquire(DEPTH, 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            q.close();
        }
    }

    /** The next I/O, its range locked; null when the range picked is busy (try again). */
    private Io next() {
        int p = rng.nextInt(100);
        ReqOp op = p < 45 ? ReqOp.READ : p < 85 ? ReqOp.WRITE : p < 89 ? ReqOp.FLUSH : p < 95 ? ReqOp.DISCARD
                : ReqOp.WRITE_ZEROES;
        if (!run.supports(op)) {
            op = ReqOp.WRITE;
        }
        ByteBuffer buf = takeBuffer();
        if (op == ReqOp.FLUSH) {
            return new Io(this, op, 0, 0, 0, buf, 0);
        }
        int max = op.hasData() ? MAX_RW_SECTORS : MAX_ZERO_SECTORS;
        int s = rng.nextInt(100);
        int n = s < 70 ? 1 + rng.nextInt(16) : s < 95 ? 17 + rng.nextInt(112) : 129 + rng.nextInt(max - 128);
        n = Math.min(n, run.model.sectors);
        int sector = rng.nextInt(run.model.sectors - n + 1);
        if (!run.model.tryLock(sector, n)) {
            putBuffer(buf);
            return null;
        }
        int flags = 0;
        long seq = 0;
        if (op == ReqOp.WRITE) {
            seq = run.model.nextSeq();
            for (int i = 0; i < n; i++) {
                Stamp.write(buf, i * Stamp.SECTOR, run.id, sector + i, seq);
            }
            int f = rng.nextInt(10);
            flags = f == 0 ? ReqFlags.FUA : f == 1 ? ReqFlags.PREFLUSH : 0;
        } else if (op == ReqOp.READ) {
            for (int i = 0; i < n * Stamp.SECTOR; i += 8) {
                buf.putLong(i, 0xA5A5_A5A5_A5A5_A5A5L); // a read that moves nothing must not pass
            }
        } else if (op == ReqOp.WRITE_ZEROES && rng.nextBoolean()) {
            flags = ReqFlags.NOUNMAP;
        }
        return new Io(this, op, sector, n, flags, buf, seq);
    }

    private synchronized ByteBuffer takeBuffer() {
        return buffers.poll();
    }

    private synchronized void putBuffer(ByteBuffer b) {
        buffers.add(b);
    }

    /** Called once per I/O when it is settled (its callback, or a submission that threw). */
    void done(Io io) {
        putBuffer(io.buf);
        slots.release();
    }

    void start() {
        thread.start();
    }
}
