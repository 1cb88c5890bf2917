package jblk.blockcore;

/**
 * Which parts of a disk hold data, for drivers that know (a memory-backed disk's never-written
 * pages are holes). The block layer itself has no such map; tools use it where the kernel would
 * use SEEK_DATA/SEEK_HOLE on a file, such as an NBD server answering BLOCK_STATUS.
 */
public interface AllocationMap {
    /** The granularity in bytes (a power of two): answers are per aligned unit of this size. */
    int granularity();

    /** Whether the unit containing byte {@code offset} may hold data (false: a hole reading zeros). */
    boolean isMapped(long offset);
}
