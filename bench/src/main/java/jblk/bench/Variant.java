package jblk.bench;

import java.util.Locale;
import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;

/** One side of the comparison: the raw C-style null_blk, or the safe one with an ownership mode. */
enum Variant {
    RAW(DriverKind.RAW, Ownership.OFF),
    OFF(DriverKind.SAFE, Ownership.OFF),
    CHECKED(DriverKind.SAFE, Ownership.CHECKED),
    DEBUG(DriverKind.SAFE, Ownership.DEBUG);

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
            throw new IllegalArgumentException("variant '" + s + "' is invalid: allowed raw, off, checked, debug");
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
