package jblk.nbd;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.Errno;

/**
 * Maps a bio's {@link BlkStatus} to the NBD error value a reply carries, through the status's
 * errno ({@code blk_status_to_errno}), as the kernel's nbd and nbdkit map errno to the wire.
 */
public final class NbdErrno {
    private NbdErrno() {
    }

    /** The NBD error for {@code status}: 0 for OK; errors NBD has no value for become EIO. */
    public static int of(BlkStatus status) {
        return ofErrno(status.errno());
    }

    /** The NBD error for a positive Linux errno. */
    public static int ofErrno(int errno) {
        switch (errno) {
            case 0:
                return 0;
            case Errno.EPERM:
                return NbdProto.EPERM;
            case Errno.ENOMEM:
                return NbdProto.ENOMEM;
            case Errno.EINVAL:
                return NbdProto.EINVAL;
            case Errno.ENOSPC:
                return NbdProto.ENOSPC;
            case Errno.EOVERFLOW:
                return NbdProto.EOVERFLOW;
            case Errno.EOPNOTSUPP:
                return NbdProto.ENOTSUP;
            case Errno.ESHUTDOWN:
                return NbdProto.ESHUTDOWN;
            default:
                // EIO itself, and what NBD cannot express (ETIMEDOUT, ENOLINK, ENODATA, EILSEQ,
                // EAGAIN, EBUSY, ENODEV, ...): the client sees an I/O error.
                return NbdProto.EIO;
        }
    }

    /** A short name for an NBD error value, for messages. */
    public static String name(int nbdError) {
        switch (nbdError) {
            case 0:
                return "OK";
            case NbdProto.EPERM:
                return "EPERM";
            case NbdProto.EIO:
                return "EIO";
            case NbdProto.ENOMEM:
                return "ENOMEM";
            case NbdProto.EINVAL:
                return "EINVAL";
            case NbdProto.ENOSPC:
                return "ENOSPC";
            case NbdProto.EOVERFLOW:
                return "EOVERFLOW";
            case NbdProto.ENOTSUP:
                return "ENOTSUP";
            case NbdProto.ESHUTDOWN:
                return "ESHUTDOWN";
            default:
                return "error " + nbdError;
        }
    }
}
