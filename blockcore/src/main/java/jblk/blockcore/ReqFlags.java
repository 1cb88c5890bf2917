package jblk.blockcore;

/**
 * Models the {@code REQ_*} request flags of include/linux/blk_types.h that jblk honours, as bits of
 * {@link Bio#flags()} and {@link Request#cmdFlags()}.
 */
public final class ReqFlags {
    /** Forced unit access: the data must be on stable media when the request completes. */
    public static final int FUA = 1;
    /** Flush the volatile cache before this write (a write with a preceding flush). */
    public static final int PREFLUSH = 1 << 1;
    /** Do not wait for a tag: fail the bio with {@link BlkStatus#AGAIN} instead. */
    public static final int NOWAIT = 1 << 2;
    /** Polled I/O: the submitter reaps the completion with {@link SwQueue#poll(Bio)}. */
    public static final int POLLED = 1 << 3;
    /** Synchronous request (informational, as in the kernel's accounting). */
    public static final int SYNC = 1 << 4;
    /** WRITE_ZEROES must not deallocate (NBD's NO_HOLE, the kernel's REQ_NOUNMAP). */
    public static final int NOUNMAP = 1 << 5;

    static final int ALL = FUA | PREFLUSH | NOWAIT | POLLED | SYNC | NOUNMAP;

    private ReqFlags() {
    }

    public static String toString(int flags) {
        StringBuilder sb = new StringBuilder();
        append(sb, flags, FUA, "FUA");
        append(sb, flags, PREFLUSH, "PREFLUSH");
        append(sb, flags, NOWAIT, "NOWAIT");
        append(sb, flags, POLLED, "POLLED");
        append(sb, flags, SYNC, "SYNC");
        append(sb, flags, NOUNMAP, "NOUNMAP");
        return sb.toString();
    }

    private static void append(StringBuilder sb, int flags, int bit, String name) {
        if ((flags & bit) != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}
