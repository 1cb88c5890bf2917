package jblk.blockcore;

/**
 * Models {@code blk_status_t} and the {@code blk_errors[]} table of block/blk-core.c: the status a
 * request ends with, its kernel number, the errno it maps to and the kernel's description.
 */
public enum BlkStatus {
    OK(0, 0, ""),
    NOTSUPP(1, Errno.EOPNOTSUPP, "operation not supported"),
    TIMEOUT(2, Errno.ETIMEDOUT, "timeout"),
    NOSPC(3, Errno.ENOSPC, "critical space allocation"),
    TRANSPORT(4, Errno.ENOLINK, "recoverable transport"),
    TARGET(5, Errno.EREMOTEIO, "critical target"),
    RESV_CONFLICT(6, Errno.EBADE, "reservation conflict"),
    MEDIUM(7, Errno.ENODATA, "critical medium"),
    PROTECTION(8, Errno.EILSEQ, "protection"),
    RESOURCE(9, Errno.ENOMEM, "kernel resource"),
    IOERR(10, Errno.EIO, "I/O"),
    DM_REQUEUE(11, Errno.EREMCHG, "dm internal retry"),
    AGAIN(12, Errno.EAGAIN, "nonblocking retry"),
    DEV_RESOURCE(13, Errno.EBUSY, "device resource"),
    ZONE_OPEN_RESOURCE(14, Errno.ETOOMANYREFS, "open zones exceeded"),
    ZONE_ACTIVE_RESOURCE(15, Errno.EOVERFLOW, "active zones exceeded"),
    OFFLINE(16, Errno.ENODEV, "device offline"),
    DURATION_LIMIT(17, Errno.ETIME, "duration limit exceeded"),
    INVAL(19, Errno.EINVAL, "invalid");

    private static final BlkStatus[] VALUES = values();

    private final int code;
    private final int errno;
    private final String description;

    BlkStatus(int code, int errno, String description) {
        this.code = code;
        this.errno = errno;
        this.description = description;
    }

    /** The kernel's numeric {@code BLK_STS_*} value. */
    public int code() {
        return code;
    }

    /** The positive errno this status maps to ({@code blk_status_to_errno} negated); 0 for OK. */
    public int errno() {
        return errno;
    }

    /** The kernel's description, as printed in "... error, dev ..." messages. */
    public String description() {
        return description;
    }

    public boolean isOk() {
        return this == OK;
    }

    /**
     * {@code errno_to_blk_status}: the status for a (positive or negative) errno; anything the
     * table does not name maps to IOERR, as in the kernel.
     */
    public static BlkStatus fromErrno(int errno) {
        int e = Math.abs(errno);
        if (e == 0) {
            return OK;
        }
        for (BlkStatus s : VALUES) {
            if (s.errno == e) {
                return s;
            }
        }
        return IOERR;
    }
}
