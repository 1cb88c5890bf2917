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
    /** The zones of a zoned device (zoned=1), else null. */
    final ZonedDevice zoned;

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
        this.zoned = p.zoned() ? new ZonedDevice(ZoneConfig.of(p), this) : null; // null_init_zoned_dev
    }

    /** Nothing stored and no bad blocks: READ/WRITE/FLUSH need no work at all. */
    boolean trivial() {
        return memory == null && badblocks.isEmpty() && zoned == null;
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

    /** {@code null_process_cmd}, or {@code null_process_zoned_cmd} on a zoned device. */
    BlkStatus processCmd(NullCmd cmd, ReqOp op, long sector, int bytes, ByteBuffer buf, int off, int flags) {
        return zoned != null ? zoned.processCmd(cmd, op, sector, bytes, buf, off, flags)
                : processPlain(cmd, op, sector, bytes, buf, off, flags);
    }

    /**
     * {@code null_handle_badblocks}: IOERR when {@code [sector, sector + nr)} holds a bad block,
     * with {@code cmd.partialBytes} set to what may still be transferred (0 unless
     * badblocks_partial_io); OK otherwise.
     */
    BlkStatus badblocks(NullCmd cmd, long sector, long nr) {
        if (badblocks.isEmpty()) {
            return BlkStatus.OK;
        }
        BadBlocks.Range r = badblocks.check(sector, nr);
        if (r == null) {
            return BlkStatus.OK;
        }
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
        cmd.partialBytes = (int) (good << 9);
        return BlkStatus.IOERR;
    }

    /** {@code null_process_cmd} proper: bad blocks, then the memory store. */
    BlkStatus processPlain(NullCmd cmd, ReqOp op, long sector, int bytes, ByteBuffer buf, int off, int flags) {
        long nr = (long) bytes >>> 9;
        BlkStatus bb = badblocks(cmd, sector, nr);
        if (bb != BlkStatus.OK) {
            nr = (long) cmd.partialBytes >>> 9;
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

    /**
     * An engine with no disk or driver around it (no memory store, no bad blocks): the command
     * path alone, for race tests that call it from several threads as several queue_rq would.
     */
    public static NullBlkEngine standalone(NullbParams p) {
        return new NullBlkEngine("standalone", p, null, new BadBlocks(), new Random(0));
    }

    /** One command through {@code null_handle_cmd}, as queue_rq runs it (buffer from 0). */
    public BlkStatus execute(ReqOp op, long sector, int bytes, ByteBuffer buf) {
        return handleCmd(new NullCmd(), op, sector, bytes, buf, 0, 0);
    }

    /** {@code null_report_zones} of a zoned engine (IllegalStateException when not zoned). */
    public int reportZones(long sector, int nrZones, jblk.blockcore.ReportZones.Callback cb) {
        if (zoned == null) {
            throw new IllegalStateException(name + " is not zoned (zoned=0)");
        }
        return zoned.reportZones(sector, nrZones, cb);
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
