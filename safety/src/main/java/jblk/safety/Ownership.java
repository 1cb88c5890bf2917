package jblk.safety;

import java.util.Locale;

/**
 * How much the binding layer checks request ownership, fixed per tag set when it is built. The
 * question the Rust null_blk work raised is what {@link #CHECKED} costs over {@link #OFF}.
 */
public enum Ownership {
    /**
     * C semantics: no token, no atomic. Ending a request twice is undefined, exactly as calling
     * {@code blk_mq_end_request} twice in C; only blockcore's {@code -ea} assertions notice.
     */
    OFF,
    /**
     * The token: one atomic CAS per end decides every race exactly (end vs end, end vs timeout,
     * end vs requeue, stale handles after tag reuse). A refused end changes nothing.
     */
    CHECKED,
    /**
     * CHECKED, plus where each request was issued and first ended, printed with any refusal, and a
     * leak report at close naming requests the driver never ended and where it got them (like
     * Netty's ResourceLeakDetector at its paranoid level). Costs two stack walks per request.
     */
    DEBUG;

    /** The system property that picks the default mode: {@code -Djblk.ownership=off|checked|debug}. */
    public static final String PROPERTY = "jblk.ownership";

    /** The default mode: {@code -Djblk.ownership}, else CHECKED. */
    public static Ownership fromSystemProperty() {
        String v = System.getProperty(PROPERTY);
        return v == null || v.isBlank() ? CHECKED : parse(v);
    }

    /** Parses "off", "checked" or "debug" (any case), with a clear error otherwise. */
    public static Ownership parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ownership mode '" + s + "' is invalid: allowed off, checked, debug");
        }
    }

    public boolean checked() {
        return this != OFF;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
