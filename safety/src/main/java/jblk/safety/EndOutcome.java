package jblk.safety;

/**
 * What ending (or completing, or requeueing) a request through a {@link RequestRef} did. The Rust
 * binding returns {@code Result<(), ARef<Request>>} from {@code end_ok}; jblk names each refusal, so
 * a driver (and a test) can tell a double end from a stale handle. A refusal changes nothing: the
 * request, its bio and its tag are exactly as they were.
 */
public enum EndOutcome {
    /** Done: the request was ended (or handed to the completion context, or requeued). */
    ENDED,
    /** Refused: the request this handle names was already ended (a second end). */
    ALREADY_ENDED,
    /**
     * Refused: this handle's request was ended and its tag has been handed out again since;
     * the handle is stale. Detected by generation, so there is no ABA window.
     */
    STALE,
    /**
     * Refused: other references to the request are outstanding ({@link RequestRef#share()}); the
     * Rust CAS from 2 to 0 fails the same way. Release them first.
     */
    SHARED,
    /** Refused: this reference was released; it no longer owns anything. */
    RELEASED;

    public boolean ok() {
        return this == ENDED;
    }

    public boolean refused() {
        return this != ENDED;
    }
}
