package jblk.nbd;

import jblk.blockcore.Bio;
import jblk.blockcore.GenDisk;
import jblk.blockcore.QueueLimits;

/**
 * One export: a {@link GenDisk} under a name, and what NBD advertises for it (size, transmission
 * flags, block size constraints), derived from the disk's {@link QueueLimits} alone so any jblk
 * disk can be served.
 *
 * <p>Block sizes: the minimum is the logical block size (the block layer refuses anything less
 * aligned); the preferred size is the physical block size, at least 4096; the maximum is a
 * server-side {@link #MAX_REQUEST} of 32 MiB rather than the disk's {@code max_sectors} (often
 * 255 sectors, not even a power of two): the server splits a larger READ or WRITE into bios of at
 * most {@code max_sectors}, so clients such as nbdcopy and qemu may use their usual large requests.
 * 32 MiB (2^25) is the size the NBD spec says every client may assume and every server should
 * accept.
 */
public final class NbdExport {
    /** The largest READ or WRITE accepted (and advertised as the maximum block size). */
    public static final int MAX_REQUEST = 32 << 20;

    private final GenDisk disk;
    private final String name;
    private final String description;
    private final boolean readOnly;

    public NbdExport(GenDisk disk, String name, String description, boolean readOnly) {
        if (disk == null) {
            throw new IllegalArgumentException("disk must not be null");
        }
        if (disk.zones() != null) {
            throw new IllegalArgumentException(disk.name() + " is a zoned disk and NBD has no zones (no zone report,"
                    + " no write pointers, no zone management): export a conventional device (zoned=0)");
        }
        if (name == null || name.length() > 4096 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("export name is invalid: allowed up to 4096 bytes of UTF-8 without NUL");
        }
        this.disk = disk;
        this.name = name;
        this.description = description == null ? "" : description;
        this.readOnly = readOnly;
    }

    public GenDisk disk() {
        return disk;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Whether a client's export name selects this export: its name, or "" (the default export). */
    public boolean matches(String requested) {
        return requested.isEmpty() || requested.equals(name);
    }

    /** The export size in bytes (the disk's capacity now). */
    public long sizeBytes() {
        return disk.capacity() << Bio.SECTOR_SHIFT;
    }

    public int minimumBlockSize() {
        return disk.limits().logicalBlockSize();
    }

    public int preferredBlockSize() {
        return Math.max(disk.limits().physicalBlockSize(), 4096);
    }

    public int maximumBlockSize() {
        return MAX_REQUEST;
    }

    /** The largest READ/WRITE bio the disk takes, in bytes (a multiple of the logical block size). */
    public int maxBioBytes() {
        return disk.limits().maxSectors() << Bio.SECTOR_SHIFT;
    }

    public boolean canTrim() {
        return !readOnly && disk.limits().maxDiscardSectors() > 0;
    }

    public boolean canWriteZeroes() {
        return !readOnly && disk.limits().maxWriteZeroesSectors() > 0;
    }

    /** Whether BLOCK_STATUS with base:allocation can be served (the driver knows its holes). */
    public boolean hasAllocationMap() {
        return disk.allocationMap() != null;
    }

    /**
     * The transmission flags. FLUSH is always honoured (with no volatile cache the block layer
     * completes it at once, which is correct) and so always advertised, as is FUA on a writable
     * export; CAN_MULTI_CONN because every connection reaches the same disk, whose FLUSH covers
     * all of it; DF (replies are never fragmented) only with structured replies, as the spec
     * requires.
     */
    public int transmissionFlags(boolean structuredReplies) {
        int f = NbdProto.FLAG_HAS_FLAGS | NbdProto.FLAG_SEND_FLUSH | NbdProto.FLAG_CAN_MULTI_CONN;
        if (readOnly) {
            f |= NbdProto.FLAG_READ_ONLY;
        } else {
            f |= NbdProto.FLAG_SEND_FUA;
        }
        if (canTrim()) {
            f |= NbdProto.FLAG_SEND_TRIM;
        }
        if (canWriteZeroes()) {
            f |= NbdProto.FLAG_SEND_WRITE_ZEROES;
        }
        if (disk.limits().rotational()) {
            f |= NbdProto.FLAG_ROTATIONAL;
        }
        if (structuredReplies) {
            f |= NbdProto.FLAG_SEND_DF;
        }
        return f;
    }
}
