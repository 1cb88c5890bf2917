package jblk.nbd;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jblk.blockcore.AllocationMap;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;

/**
 * One client connection: handshake, then the transmission phase in front of the disk's public
 * submission API, through a software queue of its own.
 *
 * <p>Threads: the connection's thread reads and decodes requests and submits their bios (the
 * {@link SwQueue}'s one submitter). Whoever completes a request's last bio encodes the reply and
 * queues it ({@link ReplySender}). Replies completed inline (null_blk irqmode=0) are sent by the
 * reader itself when it runs out of input (one gathering write per batch of requests); replies
 * completed on another thread (a softirq or timer context) wake the connection's sender thread, so
 * a completion context never blocks on a socket. Replies go out as completions arrive, out of
 * order, matched by cookie. Request slots come from the connection's {@link SlotPool}.
 *
 * <p>Limits: at most {@link SlotPool#MAX_SLOTS} requests and {@link SlotPool#MAX_BYTES} of request data in
 * flight per connection (the server stops reading until replies are sent: backpressure); READ and
 * WRITE up to {@link NbdExport#MAX_REQUEST} bytes, split into bios of the disk's max_sectors.
 * TRIM and WRITE_ZEROES may cover any length (split at the disk's discard / write-zeroes limits).
 *
 * <p>Closing (DISC, end of stream, a protocol violation, server shutdown): stop reading, wait for
 * every submitted bio to complete, close the software queue, send the replies that can still be
 * sent, close the socket. No bio is abandoned and no tag is left held.
 */
final class NbdConnection implements Runnable {
    static final int INPUT_BUFFER = 256 << 10;

    private final NbdServer server;
    private final SocketChannel ch;
    private final NbdExport export;
    final long id;
    final String who;
    private final WireInput in;
    private final ByteBuffer input;

    private volatile Thread reader;
    private final SlotPool pool;
    private final ReplySender sender;
    private final Runnable flush;
    /** Requests whose bios are submitted and not all completed. */
    private final AtomicInteger inflight = new AtomicInteger();

    private volatile boolean inTransmission;
    private volatile boolean closed;
    private volatile boolean aborted;
    private volatile java.util.concurrent.ScheduledFuture<?> handshakeTimer;
    private volatile boolean shuttingDown;
    private boolean structured;
    private boolean baseAllocation;
    private boolean readOnly;
    private boolean canTrim;
    private boolean canWriteZeroes;
    private long size;
    private int minBlock;
    private int maxBio;
    private long discardChunk;
    private long writeZeroesChunk;
    private SwQueue queue;
    private String checkWhy;
    private long requests;
    private long errors;
    /** Heap bytes the reader and sender threads allocated in the transmission phase. */
    private final AtomicLong allocated = new AtomicLong();
    private long readerAllocStart = -1;
    private String endReason = "client closed the connection";

    /** {@code input}: the input buffer ({@link #INPUT_BUFFER} bytes from the server's pool), given back at close. */
    NbdConnection(NbdServer server, SocketChannel ch, NbdExport export, long id, String peer, ByteBuffer input) {
        this.server = server;
        this.ch = ch;
        this.export = export;
        this.id = id;
        this.who = "c" + id + " (" + peer + ")";
        this.pool = new SlotPool(this, server.buffers());
        this.sender = new ReplySender(ch, who, pool, allocated);
        this.flush = sender::flush;
        this.input = input;
        this.in = new WireInput(ch, input, flush);
    }

    @Override
    public void run() {
        reader = Thread.currentThread();
        try {
            Negotiated n = new NbdHandshake(ch, in, export, who).run();
            if (n == null) {
                endReason = "client ended the handshake";
                return;
            }
            transmission(n);
        } catch (ProtocolViolation e) {
            endReason = "protocol violation: " + e.getMessage();
            NbdLog.warn(who + ": " + endReason + "; closing the connection");
        } catch (ClosedChannelException e) {
            endReason = shuttingDown ? "server shutdown" : "connection closed";
        } catch (EOFException e) {
            endReason = e.getMessage();
            quietBeforeTransmission(endReason);
        } catch (IOException e) {
            endReason = "connection lost: " + e;
            quietBeforeTransmission(endReason);
        } catch (RuntimeException | Error e) {
            endReason = "internal error: " + e;
            NbdLog.warn(who + ": " + endReason);
            server.internalError(e);
        } finally {
            teardown();
        }
    }

    /**
     * A client that leaves during the handshake (a probe checking the socket is live, a port
     * scan) is not news: logged at debug level. In transmission the same is logged at info.
     */
    private void quietBeforeTransmission(String why) {
        if (inTransmission) {
            NbdLog.info(who + ": " + why);
        } else {
            NbdLog.debug(who + ": " + why);
        }
    }

    // ---- transmission ------------------------------------------------------------------------

    private void transmission(Negotiated n) throws IOException {
        structured = n.structuredReplies();
        baseAllocation = n.baseAllocation();
        readOnly = export.readOnly();
        canTrim = export.canTrim();
        canWriteZeroes = export.canWriteZeroes();
        size = export.sizeBytes();
        minBlock = export.minimumBlockSize();
        maxBio = export.maxBioBytes();
        int lbs = export.disk().limits().logicalBlockSize();
        discardChunk = chunk(export.disk().limits().maxDiscardSectors(), lbs);
        writeZeroesChunk = chunk(export.disk().limits().maxWriteZeroesSectors(), lbs);
        inTransmission = true;
        cancelHandshakeTimer();
        NbdLog.info(who + ": export '" + export.name() + "' (" + size + " bytes"
                + (structured ? ", structured replies" : "") + (baseAllocation ? ", base:allocation" : "") + ")");
        if (shuttingDown) {
            endReason = "server shutdown";
            return;
        }
        try {
            queue = export.disk().openQueue();
        } catch (IllegalStateException e) {
            endReason = "the disk is closed";
            return;
        }
        in.nonBlocking(server.spinPolicy());
        readerAllocStart = ThreadAllocation.current();
        sender.start(Thread.currentThread().getName() + "-tx");
        ByteBuffer b = in.buffer();
        while (true) {
            if (!in.fill(NbdProto.REQUEST_HEADER_SIZE)) {
                if (in.available() > 0) {
                    throw new EOFException("client closed the connection in the middle of a request header ("
                            + in.available() + " of 28 bytes received)");
                }
                endReason = shuttingDown ? "server shutdown" : "client closed the connection without DISC";
                return;
            }
            int p = b.position();
            int magic = b.getInt(p);
            int flags = b.getShort(p + 4) & 0xffff;
            int type = b.getShort(p + 6) & 0xffff;
            long cookie = b.getLong(p + 8);
            long offset = b.getLong(p + 16);
            long length = b.getInt(p + 24) & 0xffff_ffffL;
            b.position(p + NbdProto.REQUEST_HEADER_SIZE);
            if (magic != NbdProto.REQUEST_MAGIC) {
                throw new ProtocolViolation("request magic 0x" + Integer.toHexString(magic) + " is wrong: expected 0x"
                        + Integer.toHexString(NbdProto.REQUEST_MAGIC) + " (after " + requests + " requests)");
            }
            if (type == NbdProto.CMD_DISC) {
                endReason = "client sent DISC";
                return;
            }
            requests++;
            request(type, flags, cookie, offset, length);
            if ((requests & 63) == 0) {
                sender.flush(); // a client that never pauses still gets its replies in batches of 64
            }
        }
    }

    /** Largest piece of a TRIM/WRITE_ZEROES one bio carries: the limit, a whole number of blocks, below 2 GiB. */
    private static long chunk(long limitSectors, int lbs) {
        long bytes = Math.min(limitSectors << Bio.SECTOR_SHIFT, Integer.MAX_VALUE);
        return bytes / lbs * lbs;
    }

    private void request(int type, int flags, long cookie, long offset, long length) throws IOException {
        int err = shuttingDown ? NbdProto.ESHUTDOWN : check(type, flags, offset, length);
        if (err != 0) {
            String why = shuttingDown ? "the server is shutting down" : checkWhy;
            if (type == NbdProto.CMD_WRITE) {
                in.skip(length, "the payload of a refused WRITE");
            }
            reject(type, cookie, offset, length, err, why);
            return;
        }
        int fua = (flags & NbdProto.CMD_FLAG_FUA) != 0 ? ReqFlags.FUA : 0;
        switch (type) {
            case NbdProto.CMD_READ:
            case NbdProto.CMD_WRITE: {
                int len = (int) length;
                RequestSlot s = pool.acquire(len, flush);
                s.begin(type, cookie, offset, length);
                ByteBuffer data = s.buffer(len);
                if (data == null) {
                    noBuffer(s, type, len);
                    break;
                }
                if (type == NbdProto.CMD_WRITE) {
                    try {
                        in.readInto(data, 0, len, "a WRITE payload");
                    } catch (IOException e) {
                        pool.recycle(s);
                        throw e;
                    }
                }
                submit(s, type == NbdProto.CMD_READ ? ReqOp.READ : ReqOp.WRITE, offset, len, maxBio, data, fua);
                break;
            }
            case NbdProto.CMD_FLUSH: {
                RequestSlot s = pool.acquire(0, flush);
                s.begin(type, cookie, offset, length);
                submit(s, ReqOp.FLUSH, 0, 0, 1, null, 0);
                break;
            }
            case NbdProto.CMD_TRIM: {
                RequestSlot s = pool.acquire(0, flush);
                s.begin(type, cookie, offset, length);
                submit(s, ReqOp.DISCARD, offset, length, discardChunk, null, fua);
                break;
            }
            case NbdProto.CMD_WRITE_ZEROES: {
                RequestSlot s = pool.acquire(0, flush);
                s.begin(type, cookie, offset, length);
                int f = fua | ((flags & NbdProto.CMD_FLAG_NO_HOLE) != 0 ? ReqFlags.NOUNMAP : 0);
                submit(s, ReqOp.WRITE_ZEROES, offset, length, writeZeroesChunk, null, f);
                break;
            }
            case NbdProto.CMD_BLOCK_STATUS:
                blockStatus(cookie, offset, length, (flags & NbdProto.CMD_FLAG_REQ_ONE) != 0);
                break;
            default:
                throw new IllegalStateException("unchecked command " + type);
        }
    }

    /**
     * Validates a request against the export; returns 0 or the NBD error, with the reason in
     * {@link #checkWhy}. Order: unknown command, read-only, range, flags, unadvertised command,
     * zero length, alignment, size.
     */
    private int check(int type, int flags, long offset, long length) {
        String cmd = NbdProto.commandName(type);
        switch (type) {
            case NbdProto.CMD_READ:
            case NbdProto.CMD_WRITE:
            case NbdProto.CMD_FLUSH:
            case NbdProto.CMD_TRIM:
            case NbdProto.CMD_WRITE_ZEROES:
            case NbdProto.CMD_BLOCK_STATUS:
                break;
            default:
                return fail(NbdProto.EINVAL, cmd + " is not supported: allowed READ, WRITE, FLUSH, TRIM, WRITE_ZEROES, "
                        + "BLOCK_STATUS, DISC");
        }
        boolean writes = type == NbdProto.CMD_WRITE || type == NbdProto.CMD_TRIM || type == NbdProto.CMD_WRITE_ZEROES;
        if (writes && readOnly) {
            return fail(NbdProto.EPERM, cmd + " on a read-only export");
        }
        if (type == NbdProto.CMD_FLUSH) {
            if (offset != 0 || length != 0) {
                return fail(NbdProto.EINVAL, "FLUSH offset " + Long.toUnsignedString(offset) + " length " + length
                        + ": both must be 0");
            }
        } else if (offset < 0 || offset > size || length > size - offset) {
            int e = type == NbdProto.CMD_WRITE || type == NbdProto.CMD_WRITE_ZEROES ? NbdProto.ENOSPC : NbdProto.EINVAL;
            return fail(e, cmd + " offset " + Long.toUnsignedString(offset) + " length " + length
                    + " reaches past the end of the export: allowed offset + length <= " + size);
        }
        int allowed = allowedFlags(type);
        if ((flags & ~allowed) != 0) {
            return fail(NbdProto.EINVAL, cmd + " flags 0x" + Integer.toHexString(flags) + " are invalid: allowed 0x"
                    + Integer.toHexString(allowed));
        }
        if (type == NbdProto.CMD_TRIM && !canTrim) {
            return fail(NbdProto.EINVAL, "TRIM is not supported by this export (the disk has no discard)");
        }
        if (type == NbdProto.CMD_WRITE_ZEROES && !canWriteZeroes) {
            return fail(NbdProto.EINVAL, "WRITE_ZEROES is not supported by this export (the disk has no write zeroes)");
        }
        if (type == NbdProto.CMD_BLOCK_STATUS && !baseAllocation) {
            return fail(NbdProto.EINVAL, "BLOCK_STATUS needs structured replies and base:allocation selected with "
                    + "SET_META_CONTEXT");
        }
        if (type != NbdProto.CMD_FLUSH) {
            if (length == 0) {
                return fail(NbdProto.EINVAL, cmd + " length 0: must be a positive multiple of the minimum block size "
                        + minBlock);
            }
            if (((offset | length) & (minBlock - 1)) != 0) {
                return fail(NbdProto.EINVAL, cmd + " offset " + offset + " length " + length
                        + " is not aligned to the minimum block size " + minBlock);
            }
            if ((type == NbdProto.CMD_READ || type == NbdProto.CMD_WRITE) && length > NbdExport.MAX_REQUEST) {
                return fail(NbdProto.EINVAL, cmd + " length " + length + " exceeds the maximum block size "
                        + NbdExport.MAX_REQUEST);
            }
        }
        return 0;
    }

    private int fail(int err, String why) {
        checkWhy = why;
        return err;
    }

    /** The command flags valid for {@code type} on this connection. */
    private int allowedFlags(int type) {
        int f = readOnly ? 0 : NbdProto.CMD_FLAG_FUA;
        switch (type) {
            case NbdProto.CMD_READ:
                return f | (structured ? NbdProto.CMD_FLAG_DF : 0);
            case NbdProto.CMD_WRITE_ZEROES:
                return f | NbdProto.CMD_FLAG_NO_HOLE;
            case NbdProto.CMD_BLOCK_STATUS:
                return f | NbdProto.CMD_FLAG_REQ_ONE;
            default:
                return f;
        }
    }

    private void reject(int type, long cookie, long offset, long length, int err, String why) {
        errors++;
        NbdLog.debug(who + ": " + why + " -> " + NbdErrno.name(err));
        RequestSlot s = pool.acquire(0, flush);
        s.begin(type, cookie, offset, length);
        s.nbdError = err;
        s.message = why;
        s.encodeReply(structured);
        sender.queue(s, false); // on the reader: sent before it next blocks
    }

    /**
     * Submits {@code s} as bios of at most {@code chunk} bytes. The expected count is set before
     * the first submission, since a bio may complete inside submitBio (irqmode=0).
     */
    private void submit(RequestSlot s, ReqOp op, long offset, long length, long chunk, ByteBuffer data, int flags)
            throws IOException {
        int n = length == 0 ? 1 : (int) ((length + chunk - 1) / chunk);
        s.expect(n);
        inflight.incrementAndGet();
        int k = 0;
        try {
            for (; k < n; k++) {
                long off = k * chunk;
                int bytes = (int) Math.min(chunk, length - off);
                s.bio(k).set(op, (offset + off) >>> Bio.SECTOR_SHIFT, bytes, data, (int) (data == null ? 0 : off),
                        flags, s);
                queue.submitBio(s.bio(k));
            }
        } catch (RuntimeException e) {
            // The disk closed under us, or a bug: the bios not submitted fail, the rest complete as usual.
            s.abandon(n - k, BlkStatus.IOERR, "the server could not submit the request: " + e.getMessage());
            if (e instanceof IllegalStateException) {
                throw new ClosedChannelException();
            }
            throw e;
        }
    }

    /**
     * The server's buffer memory cannot hold this request's data now: it is answered ENOMEM (a
     * WRITE's payload is read and dropped, so the stream stays in sync) and the connection goes on.
     */
    private void noBuffer(RequestSlot s, int type, int len) throws IOException {
        if (type == NbdProto.CMD_WRITE) {
            try {
                in.skip(len, "the payload of a WRITE refused for lack of buffer memory");
            } catch (IOException e) {
                pool.recycle(s);
                throw e;
            }
        }
        errors++;
        BufferPool b = server.buffers();
        s.nbdError = NbdProto.ENOMEM;
        s.message = NbdProto.commandName(type) + " offset " + s.offset + " length " + len
                + ": no buffer memory for it now (" + (b.inUse() >> 10) + " KiB of " + (b.budget() >> 10)
                + " KiB in use; the server's --buffer-memory): retry later";
        NbdLog.debug(who + ": " + s.message + " -> ENOMEM");
        s.encodeReply(structured);
        sender.queue(s, false);
    }

    private void blockStatus(long cookie, long offset, long length, boolean reqOne) {
        AllocationMap map = export.disk().allocationMap();
        if (map == null) {
            reject(NbdProto.CMD_BLOCK_STATUS, cookie, offset, length, NbdProto.EINVAL,
                    "BLOCK_STATUS: the disk no longer reports its allocation");
            return;
        }
        RequestSlot s = pool.acquire(0, flush);
        s.begin(NbdProto.CMD_BLOCK_STATUS, cookie, offset, length);
        ByteBuffer d = s.buffer(AllocationExtents.maxPayload());
        if (d == null) {
            try {
                noBuffer(s, NbdProto.CMD_BLOCK_STATUS, (int) length);
            } catch (IOException e) {
                throw new IllegalStateException("BLOCK_STATUS has no payload to skip", e);
            }
            return;
        }
        s.replyDataBytes = AllocationExtents.encode(map, NbdProto.CONTEXT_BASE_ALLOCATION_ID, offset, length,
                minBlock, reqOne, d);
        s.encodeReply(structured);
        sender.queue(s, false);
    }

    /** The last bio of {@code s} completed (any thread): queue its reply. */
    void completed(RequestSlot s) {
        s.encodeReply(structured);
        // Completed inline by the reader (irqmode=0): it sends the reply with its batch. Otherwise
        // the sender thread does, so the completing context never blocks on the socket.
        sender.queue(s, Thread.currentThread() != reader);
        inflight.decrementAndGet(); // after queueing: when this reads 0, every reply is queued
    }

    // ---- closing -----------------------------------------------------------------------------

    /** Server shutdown: no new requests (buffered ones get ESHUTDOWN), in-flight ones finish. */
    void shutdown() {
        shuttingDown = true;
        try {
            if (inTransmission) {
                ch.shutdownInput();
            } else {
                ch.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    void handshakeTimer(java.util.concurrent.ScheduledFuture<?> f) {
        handshakeTimer = f;
        if (closed) {
            f.cancel(false);
        }
    }

    private void cancelHandshakeTimer() {
        java.util.concurrent.ScheduledFuture<?> f = handshakeTimer;
        if (f != null) {
            f.cancel(false); // and the timer drops its reference to this connection (and its buffers)
        }
    }

    /** The handshake took too long: hang up unless transmission started. */
    void handshakeExpired() {
        if (!inTransmission) {
            NbdLog.info(who + ": handshake not finished within the timeout; closing");
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /**
     * Force-close the socket (after the shutdown grace period). A connection still waiting for
     * its disk to complete requests stops waiting: those requests are the driver's leak, and the
     * disk's close report names them.
     */
    void abort() {
        aborted = true;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void teardown() {
        closed = true;
        cancelHandshakeTimer();
        long start = System.nanoTime();
        long nextWarn = 10_000_000_000L;
        while (inflight.get() > 0) {
            if (aborted) {
                NbdLog.warn(who + ": closing with " + inflight.get() + " request(s) the disk never completed");
                break;
            }
            sender.flush();
            LockSupport.parkNanos(this, 200_000L);
            long waited = System.nanoTime() - start;
            if (waited > nextWarn) {
                NbdLog.warn(who + ": still waiting for " + inflight.get()
                        + " request(s) the disk has not completed after "
                        + waited / 1_000_000_000L + " s");
                nextWarn += 10_000_000_000L;
            }
        }
        if (queue != null) {
            queue.close();
        }
        sender.flush();
        sender.stop();
        sender.flush();
        if (readerAllocStart >= 0) {
            allocated.addAndGet(ThreadAllocation.current() - readerAllocStart);
        }
        in.close();
        sender.close();
        pool.releaseBuffers(); // every slot is back: replies were sent or dropped above
        server.buffers().release(input);
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (inTransmission) {
            NbdLog.info(who + ": closed after " + requests + " request(s), " + errors + " refused: " + endReason);
        } else {
            NbdLog.debug(who + ": closed during the handshake: " + endReason);
        }
        server.closed(this, requests, errors, allocated.get());
    }

    boolean inTransmission() {
        return inTransmission;
    }
}
