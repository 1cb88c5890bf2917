package jblk.blockcore;

/** Models {@code enum stat_group}: the four groups the disk statistics are kept in. */
enum StatGroup {
    READ, WRITE, DISCARD, FLUSH
}
