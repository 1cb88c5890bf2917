package jblk.nullblk;

import java.nio.ByteBuffer;
import java.util.Random;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;

/**
 * What the two null_blk drivers share, so they behave identically and differ only in how they
 * talk to the block layer: one device's parameters, fault injection, bad blocks, bandwidth cap and
 * memory store, and the command handling of {@code null_handle_cmd} / {@code null_process_cmd}.
 */
public final class NullBlkEngine {
    final String name;
    final NullbParams params;
    final int irqmode;
    final long completionNsec;
    final int blockSectors;
    final FaultInject timeoutFault;
    final FaultInject requeueFault;
    final FaultInject initHctxFault;
    final BadBlocks badblocks;
    final boolean badblocksOnce;
    final boolean badblocksPartial;
    final MemoryBacking memory;
    final Throttle throttle;
    /** Anything that makes queueRq leave its straight path (fault injection, throttling, poll queues). */
    final boolean slowPath;

    NullBlkEngine(String name, NullbParams p, MemoryBacking memory, BadBlocks badblocks, Random random) {
        this.name = name;
        this.params = p;
        this.irqmode = p.irqmode();
        this.completionNsec = p.completionNsec();
        this.blockSectors = p.blockSize() >>> 9;
        this.timeoutFault = FaultInject.parse("timeout", p.timeoutFault(), random);
        this.requeueFault = FaultInject.parse("requeue", p.requeueFault(), random);
        this.initHctxFault = FaultInject.parse("init_hctx", p.initHctxFault(), random);
        this.badblocks = badblocks;
        this.badblocksOnce = p.badblocksOnce();
        this.badblocksPartial = p.badblocksPartialIo();
        this.memory = memory;
        this.throttle = p.mbps() > 0 ? new Throttle(name, p.mbps()) : null;
        this.slowPath = timeoutFault != null || requeueFault != null || throttle != null || p.pollQueues() > 0;
    }

    /** Nothing stored and no bad blocks: READ/WRITE/FLUSH need no work at all. */
    boolean trivial() {
        return memory == null && badblocks.isEmpty();
    }

    void start(GenDisk disk) {
        if (throttle != null) {
            throttle.start(disk);
        }
    }

    void stop() {
        if (throttle != null) {
            throttle.stop();
        }
    }

    /** {@code should_timeout_request}. */
    boolean shouldTimeout() {
        return timeoutFault != null && timeoutFault.shouldFail();
    }

    /** {@code should_requeue_request}. */
    boolean shouldRequeue() {
        return requeueFault != null && requeueFault.shouldFail();
    }

    /** For initHctx: the init_hctx fault fires. */
    void checkInitHctx(int idx) {
        if (initHctxFault != null && initHctxFault.shouldFail()) {
            throw new IllegalStateException(name + ": init_hctx fault injected for hctx " + idx + " (EFAULT)");
        }
    }

    /**
     * {@code null_handle_cmd}: bad blocks, then the memory store; returns the status to end with
     * and sets {@code cmd.partialBytes} for a partial transfer.
     */
    BlkStatus handleCmd(NullCmd cmd, ReqOp op, long sector, int bytes, ByteBuffer buf, int off, int flags) {
        if (op == ReqOp.FLUSH) {
            return memory != null ? memory.flush() : BlkStatus.OK;
        }
        return processCmd(cmd, op, sector, bytes, buf, off, flags);
    }

    /** {@code null_process_cmd}. */
    BlkStatus processCmd(NullCmd cmd, ReqOp op, long sector, int bytes, ByteBuffer buf, int off, int flags) {
        long nr = bytes >>> 9;
        BlkStatus bb = BlkStatus.OK;
        if (!badblocks.isEmpty()) {
            BadBlocks.Range r = badblocks.check(sector, nr);
            if (r != null) {
                if (badblocksOnce) {
                    badblocks.clear(r.start(), r.end());
                }
                long good = 0;
                if (badblocksPartial) {
                    long firstBad = r.start() / blockSectors * blockSectors;
                    if (sector < firstBad) {
                        good = firstBad - sector;
                    }
                }
                nr = good;
                cmd.partialBytes = (int) (good << 9);
                bb = BlkStatus.IOERR;
            }
        }
        if (memory != null && nr != 0) {
            BlkStatus st;
            switch (op) {
                case READ:
                case WRITE:
                    st = memory.transfer(op, sector, (int) (nr << 9), buf, off, flags);
                    break;
                case DISCARD:
                    st = memory.zeroRange(sector, nr << 9, true);
                    break;
                case WRITE_ZEROES:
                    st = memory.zeroRange(sector, nr << 9, (flags & ReqFlags.NOUNMAP) == 0);
                    break;
                default:
                    st = BlkStatus.NOTSUPP;
            }
            if (st != BlkStatus.OK) {
                return st;
            }
        }
        return bb;
    }

    /** The memory store (null when not memory_backed): for tools such as NBD's block status. */
    public boolean isMapped(long pageIdx) {
        return memory == null || memory.isMapped(pageIdx);
    }

    public boolean memoryBacked() {
        return memory != null;
    }

    /** How many times each fault fired: timeout, requeue, init_hctx, throttled. */
    public long[] faultCounts() {
        return new long[] {
            timeoutFault == null ? 0 : timeoutFault.fired(),
            requeueFault == null ? 0 : requeueFault.fired(),
            initHctxFault == null ? 0 : initHctxFault.fired(),
            throttle == null ? 0 : throttle.throttled.get()
        };
    }
}
