package jblk.blockcore;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Models the per-CPU disk statistics ({@code struct disk_stats}, {@code part_stat_*},
 * {@code blk_account_io_start/done}, {@code update_io_ticks}) behind /sys/block/&lt;dev&gt;/stat.
 * Each completing thread writes its own block (a "CPU"), so accounting needs no atomics; readers
 * sum the blocks without locking, as the kernel does.
 */
final class DiskStats {
    private static final int GROUPS = StatGroup.values().length;

    /** One thread's counters (the kernel's per-CPU {@code disk_stats}). Single writer. */
    static final class Cpu {
        final long[] ios = new long[GROUPS];
        final long[] sectors = new long[GROUPS];
        final long[] nsecs = new long[GROUPS];
    }

    private final RequestQueue q;
    private final List<Cpu> cpus = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Cpu> local = ThreadLocal.withInitial(this::newCpu);
    private final AtomicLong stampMs = new AtomicLong(System.nanoTime() / 1_000_000L);
    private final AtomicLong ioTicksMs = new AtomicLong();

    DiskStats(RequestQueue q) {
        this.q = q;
    }

    private Cpu newCpu() {
        Cpu c = new Cpu();
        cpus.add(c);
        return c;
    }

    /** {@code blk_account_io_start}. */
    void accountStart(Request rq) {
        updateIoTicks(rq.startTimeNs / 1_000_000L, false);
    }

    /** {@code blk_account_io_done}: one I/O, its sectors, and its time from allocation to now. */
    void accountDone(Request rq, long nowNs) {
        Cpu c = local.get();
        int g = rq.op.statGroup().ordinal();
        c.ios[g]++;
        c.sectors[g] += rq.nrBytes >>> Bio.SECTOR_SHIFT;
        c.nsecs[g] += nowNs - rq.startTimeNs;
        updateIoTicks(nowNs / 1_000_000L, true);
    }

    /** {@code update_io_ticks}: at most one CAS per millisecond, whoever gets there first. */
    private void updateIoTicks(long nowMs, boolean end) {
        long stamp = stampMs.get();
        if (nowMs > stamp && AtomicTally.tally(AtomicTally.STATS, stampMs.compareAndSet(stamp, nowMs))) {
            if (end || inFlight() > 0) { // at start the new request is not counted yet
                AtomicTally.count(AtomicTally.STATS);
                ioTicksMs.addAndGet(nowMs - stamp);
            }
        }
    }

    /** Requests from allocation to completion (stat field 9). */
    int inFlight() {
        return q.countAllocated();
    }

    long sum(int which, StatGroup g) {
        long s = 0;
        for (Cpu c : cpus) {
            long[] a = which == 0 ? c.ios : which == 1 ? c.sectors : c.nsecs;
            s += a[g.ordinal()];
        }
        return s;
    }

    long ios(StatGroup g) {
        return sum(0, g);
    }

    long sectors(StatGroup g) {
        return sum(1, g);
    }

    long nsecs(StatGroup g) {
        return sum(2, g);
    }

    /** The 17 fields of /sys/block/&lt;dev&gt;/stat, in order. */
    long[] fields() {
        if (inFlight() > 0) {
            updateIoTicks(System.nanoTime() / 1_000_000L, true);
        }
        long[] f = new long[17];
        f[0] = ios(StatGroup.READ);
        f[1] = 0;
        f[2] = sectors(StatGroup.READ);
        f[3] = ms(nsecs(StatGroup.READ));
        f[4] = ios(StatGroup.WRITE);
        f[5] = 0;
        f[6] = sectors(StatGroup.WRITE);
        f[7] = ms(nsecs(StatGroup.WRITE));
        f[8] = inFlight();
        f[9] = ioTicksMs.get();
        f[10] = ms(nsecs(StatGroup.READ) + nsecs(StatGroup.WRITE) + nsecs(StatGroup.DISCARD) + nsecs(StatGroup.FLUSH));
        f[11] = ios(StatGroup.DISCARD);
        f[12] = 0;
        f[13] = sectors(StatGroup.DISCARD);
        f[14] = ms(nsecs(StatGroup.DISCARD));
        f[15] = ios(StatGroup.FLUSH);
        f[16] = ms(nsecs(StatGroup.FLUSH));
        return f;
    }

    /** The kernel truncates to 32 bits when it prints ticks (%8u). */
    private static long ms(long ns) {
        return (ns / 1_000_000L) & 0xFFFF_FFFFL;
    }

    /** /sys/block/&lt;dev&gt;/stat: 17 fields, each %8 wide, one space apart. */
    String stat() {
        long[] f = fields();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%8d", f[i]));
        }
        return sb.append('\n').toString();
    }

    /** /sys/block/&lt;dev&gt;/inflight: requests in the driver (started, not completed), reads and writes. */
    String inflight() {
        int[] rw = inflightCounts();
        return String.format("%8d %8d", rw[0], rw[1]) + "\n";
    }

    /** Requests in the driver (started, not completed): {reads, writes}; writes are {@code op_is_write}. */
    int[] inflightCounts() {
        int[] rw = new int[2];
        // blk_mq_in_flight_rw: blk_mq_check_inflight over the busy tags, each under a reference
        Tags.forEachBusy(q, rq -> {
            if (RequestState.state(rq.lvWord()) == RequestState.IN_FLIGHT) {
                rw[rq.op.isWrite() ? 1 : 0]++;
            }
            return false;
        });
        return rw;
    }
}
