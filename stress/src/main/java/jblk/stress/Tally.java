package jblk.stress;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;

/** The torture run's counters for one device, and the first few problems it found, described. */
final class Tally {
    private static final int MAX_NOTES = 20;

    final Map<ReqOp, LongAdder> ops = new EnumMap<>(ReqOp.class);
    final Map<BlkStatus, LongAdder> statuses = new EnumMap<>(BlkStatus.class);
    final LongAdder bytesRead = new LongAdder();
    final LongAdder bytesWritten = new LongAdder();
    final LongAdder sectorsVerified = new LongAdder();
    final LongAdder sectorsUnknown = new LongAdder();
    final LongAdder badBlockErrors = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder mismatches = new LongAdder();
    final LongAdder unexpectedErrors = new LongAdder();
    final LongAdder doubleCompletions = new LongAdder();
    final LongAdder submitExceptions = new LongAdder();
    final LongAdder submitQueueChanges = new LongAdder();
    final LongAdder freezes = new LongAdder();
    final LongAdder quiesces = new LongAdder();
    private final ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger noteCount = new AtomicInteger();

    Tally() {
        for (ReqOp op : ReqOp.values()) {
            ops.put(op, new LongAdder());
        }
        for (BlkStatus s : BlkStatus.values()) {
            statuses.put(s, new LongAdder());
        }
    }

    long ios() {
        long n = 0;
        for (LongAdder a : ops.values()) {
            n += a.sum();
        }
        return n;
    }

    void problem(String what) {
        if (noteCount.incrementAndGet() <= MAX_NOTES) {
            notes.add(what);
        }
    }

    Iterable<String> notes() {
        return notes;
    }

    int noteCount() {
        return noteCount.get();
    }
}
