package jblk.stress;

import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one device's sectors must hold: for each sector the sequence number of the last
 * acknowledged write (0 = zeros: never written, discarded or zeroed), or "unknown" after a write
 * whose outcome was an error (it may have landed, partly or not at all).
 *
 * <p>Only sectors nobody is writing can be compared, so each I/O first locks its sector range
 * ({@link #tryLock}); a range overlapping one in flight is not submitted. The model changes only
 * in completion callbacks, under the range's lock, and the lock's monitor orders those changes
 * before the next I/O on the range.
 */
final class DataModel {
    final int sectors;
    private final BitSet busy = new BitSet();
    private final long[] seq;
    private final boolean[] unknown;
    private final AtomicLong nextSeq = new AtomicLong();
    /** Bad ranges, inclusive [start, end] pairs; fixed for the run. */
    private final List<long[]> bad;

    DataModel(int sectors, List<long[]> bad) {
        this.sectors = sectors;
        this.seq = new long[sectors];
        this.unknown = new boolean[sectors];
        this.bad = bad;
    }

    long nextSeq() {
        return nextSeq.incrementAndGet();
    }

    synchronized boolean tryLock(int start, int n) {
        int next = busy.nextSetBit(start);
        if (next >= 0 && next < start + n) {
            return false;
        }
        busy.set(start, start + n);
        return true;
    }

    synchronized void unlock(int start, int n) {
        busy.clear(start, start + n);
    }

    boolean overlapsBad(long start, int n) {
        long last = start + n - 1;
        for (long[] r : bad) {
            if (r[1] >= start && r[0] <= last) {
                return true;
            }
        }
        return false;
    }

    // The rest is called with the range locked.

    void written(int start, int n, long s) {
        for (int i = start; i < start + n; i++) {
            seq[i] = s;
            unknown[i] = false;
        }
    }

    void zeroed(int start, int n) {
        written(start, n, 0);
    }

    void unknown(int start, int n) {
        for (int i = start; i < start + n; i++) {
            unknown[i] = true;
        }
    }

    boolean isUnknown(int sector) {
        return unknown[sector];
    }

    long expected(int sector) {
        return seq[sector];
    }
}
