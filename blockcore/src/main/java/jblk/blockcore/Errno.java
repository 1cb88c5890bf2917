package jblk.blockcore;

/** The Linux errno numbers the block layer uses (include/uapi/asm-generic/errno*.h). */
public final class Errno {
    public static final int EPERM = 1;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENODATA = 61;
    public static final int ETIME = 62;
    public static final int ENOLINK = 67;
    public static final int EBADE = 52;
    public static final int EOVERFLOW = 75;
    public static final int EREMCHG = 78;
    public static final int EILSEQ = 84;
    public static final int EOPNOTSUPP = 95;
    public static final int ESHUTDOWN = 108;
    public static final int ETOOMANYREFS = 109;
    public static final int ETIMEDOUT = 110;
    public static final int EREMOTEIO = 121;

    private Errno() {
    }
}
