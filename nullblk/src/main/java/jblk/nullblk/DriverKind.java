package jblk.nullblk;

import java.util.Locale;

/** Which of the two null_blk drivers serves a device. */
public enum DriverKind {
    /** {@link RawNullBlk}: C-style, against the raw BlkMqOps. */
    RAW,
    /** {@link NullBlk}: rnull-style, against the safe Operations with ownership tokens. */
    SAFE;

    public static DriverKind parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("driver '" + s + "' is invalid: allowed raw, safe");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
