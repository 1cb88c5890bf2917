package jblk.bench;

/**
 * When one worker's jobs run in a round of {@code ./jblk compare} whose variants take turns: from
 * {@code t0Ns} on, cycles of {@code slots} turns of {@code sliceNs} each, this worker's in turn
 * {@code slot}; the first {@code rampCycles} cycles ramp, the next {@code cycles} are measured.
 * {@code t0Ns} is on {@link System#nanoTime}'s clock, which on Linux is CLOCK_MONOTONIC and so the
 * same in every JVM of the machine: the coordinator sets it, each worker keeps its own turns.
 */
record Turns(long t0Ns, long sliceNs, int slots, int slot, int rampCycles, int cycles) {
    Turns {
        if (sliceNs <= 0 || slots < 1 || slot < 0 || slot >= slots || rampCycles < 0 || cycles < 1) {
            throw new IllegalArgumentException("turns: slice " + sliceNs + " ns, slot " + slot + " of " + slots
                    + ", " + rampCycles + " ramp and " + cycles + " measured cycles: allowed slice > 0,"
                    + " 0 <= slot < slots, ramp >= 0, cycles >= 1");
        }
    }

    /**
     * Turns of {@code sliceNs}: as many ramp cycles as cover {@code rampNs} of the round's time (every
     * turn starts from a pause anyway, so the ramp only has to start the jobs' threads and fill their
     * queues once), then the measured cycles that give this worker {@code runNs} (one at least).
     */
    static Turns of(long t0Ns, long sliceNs, int slots, int slot, long rampNs, long runNs) {
        long cycleNs = sliceNs * slots;
        int ramp = (int) ((rampNs + cycleNs - 1) / cycleNs);
        int cycles = (int) Math.max(1, Math.round((double) runNs / sliceNs));
        return new Turns(t0Ns, sliceNs, slots, slot, ramp, cycles);
    }

    /** When this worker's turn in cycle {@code c} starts. */
    long start(int c) {
        return t0Ns + ((long) c * slots + slot) * sliceNs;
    }

    /** When this worker's turn in cycle {@code c} ends. */
    long end(int c) {
        return start(c) + sliceNs;
    }

    /** When the round's last turn (every slot's) ends. */
    long roundEnd() {
        return t0Ns + (long) allCycles() * slots * sliceNs;
    }

    /** Ramp and measured cycles together. */
    int allCycles() {
        return rampCycles + cycles;
    }
}
