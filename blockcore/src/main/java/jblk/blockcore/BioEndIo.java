package jblk.blockcore;

/**
 * Models {@code bio_end_io_t}: called once when a bio completes, on whatever thread completed it
 * (the submitter for inline completion, a softirq or timer thread otherwise). Read the outcome
 * from {@link Bio#status()}. The block layer no longer touches the bio once this returns, so the
 * callback may reuse it.
 */
@FunctionalInterface
public interface BioEndIo {
    void endIo(Bio bio);
}
