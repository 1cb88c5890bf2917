package jblk.safety;

/**
 * DEBUG mode: where one issue of a request was handed to the driver and where it was first ended
 * (or completed or requeued), as stack traces, printed with any refusal and in leak reports.
 */
final class DebugRecord {
    final int tag;
    final long gen;
    final Throwable issued;
    volatile Throwable firstEnded;

    DebugRecord(int tag, long gen) {
        this.tag = tag;
        this.gen = gen;
        this.issued = new Throwable("tag " + tag + " gen " + gen + " issued to the driver on thread "
                + Thread.currentThread().getName());
    }

    /**
     * Where the winner ended it. The winner records that just after its CAS, so a loser refused in
     * between waits a moment for it (only when an end did happen: {@code ended}).
     */
    Throwable awaitFirstEnded(boolean ended) {
        Throwable t = firstEnded;
        long deadline = System.nanoTime() + 50_000_000L;
        while (t == null && ended && System.nanoTime() - deadline < 0) {
            Thread.yield();
            t = firstEnded;
        }
        return t;
    }

    void markEnded() {
        if (firstEnded == null) {
            firstEnded = new Throwable("tag " + tag + " gen " + gen + " first ended on thread "
                    + Thread.currentThread().getName());
        }
    }
}
