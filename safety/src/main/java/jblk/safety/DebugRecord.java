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

    void markEnded() {
        if (firstEnded == null) {
            firstEnded = new Throwable("tag " + tag + " gen " + gen + " first ended on thread "
                    + Thread.currentThread().getName());
        }
    }
}
