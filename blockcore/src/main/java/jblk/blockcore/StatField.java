package jblk.blockcore;

/**
 * Models the fields of /sys/block/&lt;dev&gt;/stat (Documentation/block/stat.rst), by name, so a
 * test reads {@code disk.stat(StatField.WRITE_SECTORS)} instead of parsing the text.
 */
public enum StatField {
    /** Reads completed. */
    READ_IOS,
    /** Reads merged (jblk does not merge: 0). */
    READ_MERGES,
    /** Sectors read (512-byte units). */
    READ_SECTORS,
    /** Milliseconds spent reading. */
    READ_TICKS,
    /** Writes completed (WRITE and WRITE_ZEROES). */
    WRITE_IOS,
    /** Writes merged (0). */
    WRITE_MERGES,
    /** Sectors written. */
    WRITE_SECTORS,
    /** Milliseconds spent writing. */
    WRITE_TICKS,
    /** Requests allocated and not yet completed. */
    IN_FLIGHT,
    /** Milliseconds with at least one request in flight. */
    IO_TICKS,
    /** Weighted milliseconds of all requests. */
    TIME_IN_QUEUE,
    /** Discards completed. */
    DISCARD_IOS,
    /** Discards merged (0). */
    DISCARD_MERGES,
    /** Sectors discarded. */
    DISCARD_SECTORS,
    /** Milliseconds spent discarding. */
    DISCARD_TICKS,
    /** Flushes completed. */
    FLUSH_IOS,
    /** Milliseconds spent flushing. */
    FLUSH_TICKS;

    /** The field's position in the stat file and in {@link GenDisk#statFields()} (0-based). */
    public int index() {
        return ordinal();
    }
}
