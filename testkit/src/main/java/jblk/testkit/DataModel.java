package jblk.testkit;

import java.util.BitSet;

/**
 * What the disk's sectors must hold: per sector the sequence number of the last acknowledged write
 * (0: zeros), whether a DISCARD since may have zeroed it, and whether it is unknown (an errored
 * write may have landed, partly or not at all).
 *
 * <p>Only sectors nobody is writing can be compared, so every I/O first locks its sector range;
 * the model changes only in completion callbacks, under the range's lock, and the lock's monitor
 * orders those changes before the next I/O on the range.
 */
final class DataModel {
    final int sectors;
    private final BitSet busy = new BitSet();
    private final long[] seq;
    private final BitSet maybeZero = new BitSet();
    private final BitSet unknown = new BitSet();

    DataModel(int sectors) {
        this.sectors = sectors;
        this.seq = new long[sectors];
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

    // The rest is called with the range locked.

    synchronized void written(int start, int n, long s) {
        for (int i = start; i < start + n; i++) {
            seq[i] = s;
        }
        maybeZero.clear(start, start + n);
        unknown.clear(start, start + n);
    }

    /** DISCARD: the old data or zeros may be read back (no discard_zeroes_data promise). */
    synchronized void discarded(int start, int n) {
        maybeZero.set(start, start + n);
    }

    synchronized void unknown(int start, int n) {
        unknown.set(start, start + n);
    }

    synchronized boolean isUnknown(int sector) {
        return unknown.get(sector);
    }

    synchronized boolean mayBeZero(int sector) {
        return maybeZero.get(sector);
    }

    synchronized long expected(int sector) {
        return seq[sector];
    }
}
