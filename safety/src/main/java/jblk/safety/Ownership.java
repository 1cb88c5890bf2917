package jblk.safety;

import java.util.Locale;

/**
 * How the binding layer checks request ownership ({@code rust/kernel/block/mq/request.rs}'s token and
 * the alternatives issue 11 compares), fixed per tag set when it is built. docs/OWNERSHIP.md has what
 * each one catches and what it costs over {@link #OFF}.
 */
public enum Ownership {
    /**
     * C semantics: no token, no atomic. Ending a request twice is undefined, exactly as calling
     * {@code blk_mq_end_request} twice in C; only blockcore's {@code -ea} assertions notice.
     */
    OFF,
    /**
     * The Rust mainline token ({@code RequestDataWrapper::refcount}): its own atomic per request,
     * 2 at issue, a CAS 2 -> 0 at end ({@code try_set_end}), increments for shares and
     * {@code tagToRq}. Handles are pointers (one per tag), so a handle kept past the tag's reuse ends
     * the tag's next request.
     */
    REFCOUNT,
    /**
     * jblk's token: generation and state in the request's one word, one CAS per end decides every
     * race (end vs end, end vs timeout, end vs requeue) and a handle from an earlier use of the tag
     * is STALE. Was called CHECKED; {@link #CHECKED} and "checked" still name it.
     */
    GENERATION,
    /**
     * Hazard pointers with the block layer's reference (HPREF): iterators and {@code tagToRq} pin a
     * request with a hazard pointer instead of an increment, so {@code rq->ref} stays 1 while the
     * driver owns it and the end's CAS 1 -> 0 is both the ownership decision and the put
     * {@code blk_mq_free_request} does anyway: no atomic more than {@link #OFF} per request.
     */
    HPREF,
    /**
     * The typestate form of the 2026 rnull series ({@code Owned<Request>}): the handle queueRq gives
     * is unique, so end, complete and requeue consume it (a plain per-issue flag, no atomic);
     * sharing goes through {@code into_shared} / {@code try_from_shared} with a CAS.
     */
    OWNED,
    /**
     * GENERATION, plus where each request was issued and first ended, printed with any refusal, and a
     * leak report at close naming requests the driver never ended and where it got them (like
     * Netty's ResourceLeakDetector at its paranoid level). Costs two stack walks per request.
     */
    DEBUG;

    /** The former name of {@link #GENERATION}, kept for callers and the command line. */
    public static final Ownership CHECKED = GENERATION;

    /** The system property that picks the default mode: {@code -Djblk.ownership=off|generation|...}. */
    public static final String PROPERTY = "jblk.ownership";

    /** What {@link #parse} accepts, for messages. */
    public static final String ALLOWED = "off, refcount, generation (or checked), hpref, owned, debug";

    /** The default mode: {@code -Djblk.ownership}, else GENERATION. */
    public static Ownership fromSystemProperty() {
        String v = System.getProperty(PROPERTY);
        return v == null || v.isBlank() ? GENERATION : parse(v);
    }

    /** Parses a strategy name (any case; "checked" is GENERATION), with a clear error otherwise. */
    public static Ownership parse(String s) {
        String n = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
        if (n.equals("CHECKED")) {
            return GENERATION;
        }
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ownership mode '" + s + "' is invalid: allowed " + ALLOWED);
        }
    }

    /** Whether anything is checked (every strategy but OFF). */
    public boolean checked() {
        return this != OFF;
    }

    /** Whether the strategy decides through the request's state word ({@link OwnershipWord}). */
    boolean usesWord() {
        return this == GENERATION || this == DEBUG;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
