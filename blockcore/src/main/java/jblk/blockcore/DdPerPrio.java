package jblk.blockcore;

import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Models mq-deadline's {@code struct dd_per_prio}: for one priority class, per direction (read,
 * write) the requests sorted by sector ({@code sort_list}, an rbtree in C) and in arrival order
 * ({@code fifo_list}), the position after the last dispatched request ({@code latest_pos}) and the
 * counters of {@code struct io_stats_per_prio}. Guarded by the owning {@link MqDeadline}'s lock,
 * except {@code completed}, counted when a request is freed.
 */
final class DdPerPrio {
    static final int READ = 0;
    static final int WRITE = 1;

    /** By sector, then arrival: two requests on one sector are both kept. */
    private static final Comparator<Request> BY_SECTOR = new BySector();
    /** Arrival order ({@code list_add_tail} on the fifo); removal from the middle is O(log n). */
    private static final Comparator<Request> BY_ARRIVAL = new ByArrival();

    @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
    final TreeSet<Request>[] sortList = new TreeSet[] {new TreeSet<>(BY_SECTOR), new TreeSet<>(BY_SECTOR)};
    @SuppressWarnings({"unchecked", "rawtypes"}) // as above
    final TreeSet<Request>[] fifoList = new TreeSet[] {new TreeSet<>(BY_ARRIVAL), new TreeSet<>(BY_ARRIVAL)};
    final long[] latestPos = new long[2];
    /** A key for {@code ceiling}: sector = the position looked for, before any real request there. */
    private final Request probe = new Request(null, -1);
    long inserted;

    {
        probe.elvSeq = Long.MIN_VALUE;
    }

    long dispatched;
    final AtomicLong completed = new AtomicLong();

    void add(Request rq, int dir) {
        sortList[dir].add(rq);
        fifoList[dir].add(rq);
    }

    void remove(Request rq, int dir) {
        sortList[dir].remove(rq);
        fifoList[dir].remove(rq);
    }

    /** {@code deadline_fifo_request}: the oldest request of {@code dir}, or null. */
    Request fifoFirst(int dir) {
        return fifoList[dir].isEmpty() ? null : fifoList[dir].first();
    }

    /**
     * {@code deadline_from_pos} at {@code latest_pos}: the lowest-sector request at or after where
     * the last dispatch of {@code dir} ended, or null (the sweep reached the end).
     */
    Request nextFromPos(int dir) {
        probe.sector = latestPos[dir];
        return sortList[dir].ceiling(probe);
    }

    boolean hasQueued() {
        return !fifoList[READ].isEmpty() || !fifoList[WRITE].isEmpty();
    }

    /** {@code dd_queued}: inserted and not yet completed (in the scheduler or in the driver). */
    long queued() {
        return inserted - completed.get();
    }

    /** A named class, not a lambda: tools that walk the object graph (Lincheck) can read it. */
    private static final class BySector implements Comparator<Request> {
        @Override
        public int compare(Request a, Request b) {
            int c = Long.compare(a.sector, b.sector);
            return c != 0 ? c : Long.compare(a.elvSeq, b.elvSeq);
        }
    }

    private static final class ByArrival implements Comparator<Request> {
        @Override
        public int compare(Request a, Request b) {
            return Long.compare(a.elvSeq, b.elvSeq);
        }
    }
}
