package jblk.blockcore;

/**
 * Models the dead-disk exit of {@code __bio_queue_enter} / {@code blk_queue_enter} (GD_DEAD,
 * {@code -ENODEV}): the disk or software queue a submitter used has been closed, before or while
 * it waited. Its own type, so a caller can tell it from any other refused submission; nothing of
 * the bio was issued.
 */
public final class DiskClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DiskClosedException(String message) {
        super(message);
    }
}
