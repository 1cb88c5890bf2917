package jblk.bench;

import java.util.List;
import java.util.Locale;
import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;

/**
 * One side of the comparison: the raw C-style null_blk, or the safe one with an ownership strategy
 * ({@code checked} is the generation strategy; refcount, hpref and owned are opt-in with
 * {@code --variants}, docs/OWNERSHIP.md).
 */
enum Variant {
    RAW(DriverKind.RAW, Ownership.OFF),
    OFF(DriverKind.SAFE, Ownership.OFF),
    CHECKED(DriverKind.SAFE, Ownership.CHECKED),
    DEBUG(DriverKind.SAFE, Ownership.DEBUG),
    REFCOUNT(DriverKind.SAFE, Ownership.REFCOUNT),
    HPREF(DriverKind.SAFE, Ownership.HPREF),
    OWNED(DriverKind.SAFE, Ownership.OWNED);

    /** compare's default: the C driver and the safe one off, checked and debug. */
    static final List<Variant> DEFAULT = List.of(RAW, OFF, CHECKED, DEBUG);

    /** The comma list of every variant's label, for messages. */
    static final String ALLOWED = "raw, off, checked, debug, refcount, hpref, owned";

    final DriverKind driver;
    final Ownership ownership;

    Variant(DriverKind driver, Ownership ownership) {
        this.driver = driver;
        this.ownership = ownership;
    }

    static Variant parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("variant '" + s + "' is invalid: allowed " + ALLOWED);
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** How the variant is built, for the table's legend. */
    String describe() {
        return this == RAW ? "RawNullBlk (raw BlkMqOps)" : "NullBlk (safe Operations), ownership " + ownership;
    }
}
