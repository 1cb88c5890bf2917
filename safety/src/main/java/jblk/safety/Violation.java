package jblk.safety;

/** The ownership violations the binding layer counts per disk. */
public enum Violation {
    /** An end, complete or requeue through a handle whose request was already ended. */
    ALREADY_ENDED,
    /** The same through a stale handle (its tag was reused since). */
    STALE,
    /** Ending while other references were outstanding. */
    SHARED,
    /** Using a reference after releasing it, or releasing it twice. */
    RELEASED,
    /** queueRq returned RESOURCE/DEV_RESOURCE or an error after it had ended or completed the request. */
    STATUS_AFTER_END,
    /** A driver callback threw; its request was ended with IOERR (once). */
    EXCEPTION;

    static Violation of(EndOutcome o) {
        switch (o) {
            case ALREADY_ENDED:
                return ALREADY_ENDED;
            case STALE:
                return STALE;
            case SHARED:
                return SHARED;
            case RELEASED:
                return RELEASED;
            default:
                throw new IllegalArgumentException(o + " is not a refusal");
        }
    }
}
