package jblk.blockcore;

import java.nio.ByteBuffer;

/**
 * Models {@code struct bio}: one I/O as a submitter describes it: operation, start sector (512
 * bytes, as in the kernel), length in bytes, a data buffer (bytes {@code [bufOffset, bufOffset +
 * size)} of {@link #buffer()}, absolute indices: the position is ignored, the range must lie below
 * the limit), flags, and the completion callback {@code bi_end_io}.
 *
 * <p>A bio is mutable and reusable: set it up, submit it, and reuse it after its callback ran.
 * It must not be changed while it is in flight.
 */
public final class Bio {
    /** 512-byte sectors, whatever the device's logical block size (the kernel's SECTOR_SHIFT). */
    public static final int SECTOR_SHIFT = 9;
    public static final int SECTOR_SIZE = 1 << SECTOR_SHIFT;

    private ReqOp op = ReqOp.READ;
    private long sector;
    private int size;
    private ByteBuffer buffer;
    private int bufOffset;
    private int flags;
    private BioEndIo endIo;
    private Object privateData;
    /** {@code bi_ioprio}: see {@link IoPrio}; 0 means the default (best effort). */
    private int ioprio;

    // Written by the completer, read by the callback (which runs on the completer's thread).
    private BlkStatus status = BlkStatus.OK;
    private int bytesDone;
    private String errorDetail;
    /** For polled bios: the hw queue index to poll (the kernel's bi_cookie). */
    int cookie = -1;
    /** The zone write plug this bio holds, and {@code DiskZones.BIO_*} flags (zone write plugging). */
    ZoneWritePlug zonePlug;
    int zoneFlags;

    public Bio() {
    }

    /**
     * Sets every field a submission needs, and the outcome to a full success, the common case: the
     * completion then writes nothing (see {@link #complete}), not even for a new bio, whose first
     * completion would otherwise take a branch the JIT has never seen taken and deoptimise the
     * compiled submission path.
     */
    public Bio set(ReqOp op, long sector, int size, ByteBuffer buffer, int bufOffset, int flags, BioEndIo endIo) {
        this.op = op;
        this.sector = sector;
        this.size = size;
        this.status = BlkStatus.OK;
        this.bytesDone = size;
        this.errorDetail = null;
        this.buffer = buffer;
        this.bufOffset = bufOffset;
        this.flags = flags;
        this.endIo = endIo;
        this.ioprio = 0;
        return this;
    }

    /** {@code bio_set_prio}: the I/O priority, an {@link IoPrio#value} (mq-deadline queues by its class). */
    public Bio ioprio(int prio) {
        this.ioprio = prio;
        return this;
    }

    public int ioprio() {
        return ioprio;
    }

    public Bio op(ReqOp op) {
        this.op = op;
        return this;
    }

    public Bio sector(long sector) {
        this.sector = sector;
        return this;
    }

    public Bio size(int size) {
        this.size = size;
        this.bytesDone = size; // as in set(): a successful completion then writes nothing
        return this;
    }

    public Bio buffer(ByteBuffer buffer, int bufOffset) {
        this.buffer = buffer;
        this.bufOffset = bufOffset;
        return this;
    }

    public Bio flags(int flags) {
        this.flags = flags;
        return this;
    }

    public Bio endIo(BioEndIo endIo) {
        this.endIo = endIo;
        return this;
    }

    public Bio privateData(Object p) {
        this.privateData = p;
        return this;
    }

    public ReqOp op() {
        return op;
    }

    /** Start sector, in 512-byte units. */
    public long sector() {
        return sector;
    }

    /** Length in bytes ({@code bi_iter.bi_size}). */
    public int size() {
        return size;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int bufOffset() {
        return bufOffset;
    }

    public int flags() {
        return flags;
    }

    public BioEndIo endIoCallback() {
        return endIo;
    }

    /** {@code bi_private}: the submitter's own context for the callback. */
    public Object privateData() {
        return privateData;
    }

    /** {@code bi_status}: the outcome, valid in and after the end_io callback. */
    public BlkStatus status() {
        return status;
    }

    /**
     * Bytes the device transferred before the request ended (equal to {@link #size()} on success;
     * less for a partial transfer, as with null_blk's badblocks_partial_io); valid in and after the
     * end_io callback, like {@link #status()}.
     */
    public int bytesDone() {
        return bytesDone;
    }

    /** Why the block layer refused the bio before it reached the driver, or null. */
    public String errorDetail() {
        return errorDetail;
    }

    /**
     * Records the outcome. Fields are written only when they change: a bio reused for I/O after
     * I/O of the same size ends the same way each time, and not writing keeps its cache line
     * shared between the submitting and the completing core instead of bouncing it.
     */
    @SuppressWarnings("ReferenceEquality") // identity on purpose: only skipping a store that would change nothing
    void complete(BlkStatus st, int done, String detail) {
        if (status != st) {
            status = st;
        }
        if (bytesDone != done) {
            bytesDone = done;
        }
        if (errorDetail != detail) {
            errorDetail = detail;
        }
    }

    void resetOutcome() {
        this.status = BlkStatus.OK;
        this.bytesDone = 0;
        this.errorDetail = null;
    }

    @Override
    public String toString() {
        return "Bio{" + op + " sector=" + sector + " size=" + size
                + (flags != 0 ? " flags=" + ReqFlags.toString(flags) : "") + " status=" + status + "}";
    }
}
