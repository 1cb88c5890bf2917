package jblk.blockcore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import jblk.blockcore.spi.SpiBridge;

/**
 * Models {@code struct request}: preallocated once per tag (the request cache, {@code
 * tags->static_rqs}) and reused for every I/O that gets the tag, so the hot path allocates nothing.
 *
 * <p>Fields are grouped by who writes them, as the kernel's {@code __cacheline_group}s do: the
 * per-tag identity (written once), the submitter's fields (written at allocation, read by the driver
 * and completer), and the state word and completion fields (written by the completer), with
 * padding between the groups (see the Request* superclasses).
 */
public final class Request extends RequestPad3 {
    static final VarHandle WORD;
    static final VarHandle REF;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(RequestCompleterFields.class, "word", long.class);
            REF = MethodHandles.lookup().findVarHandle(RequestCompleterFields.class, "ref", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        SpiBridge.install(new BlockcoreSpiBridge()); // the binding SPI's door to the word and BlkMq
    }

    Request(Tags tags, int tag) {
        super(tags, tag);
    }

    // ---- what a driver reads -------------------------------------------------------------

    /** The tag ({@code rq->tag}): the request's index in its tag space. */
    public int tag() {
        return tag;
    }

    public ReqOp op() {
        return op;
    }

    /** {@code rq->cmd_flags}: the bio's {@link ReqFlags}. */
    public int cmdFlags() {
        return cmdFlags;
    }

    public boolean isFua() {
        return (cmdFlags & ReqFlags.FUA) != 0;
    }

    /** {@code blk_rq_pos}: start sector in 512-byte units. */
    public long sector() {
        return sector;
    }

    /** {@code blk_rq_bytes}. */
    public int bytes() {
        return nrBytes;
    }

    /** {@code blk_rq_sectors}. */
    public int sectors() {
        return nrBytes >>> Bio.SECTOR_SHIFT;
    }

    /** The data buffer: bytes {@code [bufOffset(), bufOffset() + bytes())}. */
    public ByteBuffer buffer() {
        return bio.buffer();
    }

    public int bufOffset() {
        return bio.bufOffset();
    }

    public Bio bio() {
        return bio;
    }

    /** {@code rq->mq_ctx}: the submitter's software queue. */
    public SwQueue ctx() {
        return ctx;
    }

    /** {@code rq->mq_hctx}. */
    public HwQueue hctx() {
        return hctx;
    }

    /** The disk the request was submitted to ({@code rq->q->disk}). */
    public GenDisk disk() {
        return q.disk;
    }

    /** {@code blk_mq_rq_to_pdu}: the driver's per-request data, built once per tag by initRequest. */
    public Object pdu() {
        return pdu;
    }

    public boolean isPolled() {
        return (cmdFlags & ReqFlags.POLLED) != 0;
    }

    /** {@code blk_mq_rq_state}. */
    public int state() {
        return RequestState.state(laWord());
    }

    /**
     * For a partial transfer: how many bytes were transferred when the request ends with an error
     * (null_blk's badblocks_partial_io). Reset when the tag is reused.
     */
    public void setBytesDone(int bytes) {
        this.bytesDone = bytes;
    }

    /**
     * {@code rq->__sector = ...}: a zoned driver says where a ZONE_APPEND wrote; the bio reports
     * it at completion.
     */
    public void setSector(long sector) {
        this.sector = sector;
    }

    // ---- the state word: the memory order is in the name (docs/CONCURRENCY.md) -------------
    // Binding layers reach the word through jblk.blockcore.spi.RequestWord, never a raw driver.

    /** Volatile load ({@code lv}): sequentially consistent with {@link #casWord}. */
    long lvWord() {
        return (long) WORD.getVolatile(this);
    }

    /** Acquire load ({@code la}): pairs with {@link #soWord} and the binding's release stores. */
    long laWord() {
        return (long) WORD.getAcquire(this);
    }

    /**
     * Opaque load ({@code lo}): the owner re-reading the word it last wrote, or a value the caller
     * re-checks with a CAS; orders nothing else.
     */
    long loWord() {
        return (long) WORD.getOpaque(this);
    }

    /** CAS (volatile): the timeout scanner's RQF_TIMED_OUT decision against a completion. */
    boolean casWord(long expect, long update) {
        return AtomicTally.tally(AtomicTally.RQ_WORD, WORD.compareAndSet(this, expect, update));
    }

    /**
     * Release store ({@code so}), as C writes {@code WRITE_ONCE(rq->state, ..)} after filling the
     * request: the fields written before it are visible to whoever reads the word with {@link
     * #laWord} (the completer, the timeout scanner, tagToRq).
     */
    void soWord(long w) {
        WORD.setRelease(this, w);
    }

    // ---- rq->ref (block/blk-mq.h req_ref_*): the block layer's reference -----------------------

    /**
     * {@code req_ref_set}: an opaque store ({@code atomic_set}); at allocation it is published by the
     * release store of the state word that follows it ({@code SwQueue.initRequest}).
     */
    void refSet(int v) {
        REF.setOpaque(this, v);
    }

    /** Volatile load of {@code rq->ref} ({@code refcount_read}); for reports and the binding SPI. */
    int lvRef() {
        return (int) REF.getVolatile(this);
    }

    /**
     * {@code req_ref_inc_not_zero}: a CAS loop that takes a reference unless the request is being
     * freed (0). Pairs with {@link #refPutAndTest}: a request whose count reached zero is never
     * revived, so the tag's next use cannot be seen through an iterator's late increment.
     */
    boolean refIncNotZero() {
        int r = (int) REF.getVolatile(this);
        while (r != 0) {
            int seen = AtomicTally.tally(AtomicTally.RQ_REF, (int) REF.compareAndExchange(this, r, r + 1));
            if (seen == r) {
                return true;
            }
            r = seen;
        }
        return false;
    }

    /**
     * {@code req_ref_put_and_test}: drops a reference (a volatile get-and-add, {@code
     * atomic_dec_and_test}); true for the one caller that took it to zero, who frees the request.
     * Pairs with {@link #refIncNotZero} and with the other puts.
     */
    boolean refPutAndTest() {
        int old = AtomicTally.tally(AtomicTally.RQ_REF, (int) REF.getAndAdd(this, -1));
        assert old > 0 : "req_ref_put_and_test on a request with no reference: tag " + tag;
        return old == 1;
    }

    /** CAS on {@code rq->ref} (volatile): the binding SPI's ownership decision for hpref. */
    boolean casRef(int expect, int update) {
        return AtomicTally.tally(AtomicTally.RQ_REF, REF.compareAndSet(this, expect, update));
    }

    @Override
    public String toString() {
        return "Request{tag=" + tag + " " + op + " sector=" + sector + " bytes=" + nrBytes + " "
                + RequestState.toString(laWord()) + "}";
    }
}
