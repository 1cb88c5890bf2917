package jblk.nbd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jblk.blockcore.Bio;
import jblk.blockcore.BioEndIo;
import jblk.blockcore.BlkStatus;

/**
 * One NBD request in flight on a connection, reused for request after request: its bios (one per
 * piece of a request split at the disk's limit), its data buffer, the reply header it is answered
 * with, and the count of bios still out. The slot is every bio's {@code bi_end_io}; the last bio
 * to complete encodes the reply and hands the slot to the connection's reply stack.
 *
 * <p>Nothing here allocates per request: bios, the header and a data buffer up to
 * {@link #RETAIN_MAX} bytes are kept from one request to the next. A larger request (up to 32 MiB)
 * takes a buffer from the server's {@link BufferPool} and gives it back after the reply; when the
 * pool has none, {@link #buffer} says so and the request is answered ENOMEM. Error replies build
 * their message. At connection close every buffer goes back to the pool.
 */
final class RequestSlot implements BioEndIo {
    /**
     * Data buffers up to this size stay with the slot for the next request (so small requests
     * never touch the pool's lock); at most 128 slots x 128 KiB = 16 MiB per busy connection.
     */
    static final int RETAIN_MAX = 128 << 10;
    /** Smallest data buffer (one page). */
    static final int MIN_BUFFER = 4096;
    /** Longest error message sent in an ERROR chunk. */
    static final int MAX_MESSAGE = 4096;

    private static final VarHandle REMAINING;
    private static final VarHandle ERROR;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            REMAINING = l.findVarHandle(RequestSlot.class, "remaining", int.class);
            ERROR = l.findVarHandle(RequestSlot.class, "error", BlkStatus.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NbdConnection conn;
    private final BufferPool buffers;
    /** Link in the connection's reply, returned and free lists (in one at a time). */
    RequestSlot next;

    final ByteBuffer hdr = ByteBuffer.allocateDirect(32);
    private ByteBuffer retained;
    /** The data buffer of the current request (READ data, WRITE payload, BLOCK_STATUS extents). */
    ByteBuffer data;
    /** What follows the header on the wire: data, an error message, or null. */
    ByteBuffer payload;
    private Bio[] bios = new Bio[1];

    int type;
    long cookie;
    long offset;
    long length;
    /** Bytes counted against the connection's in-flight budget. */
    long budgetBytes;

    @SuppressWarnings("unused") // via REMAINING
    private volatile int remaining;
    @SuppressWarnings("unused") // via ERROR
    private volatile BlkStatus error;
    private volatile String errorDetail;
    /** An error the server decided itself (validation), NBD value; 0 = none. */
    int nbdError;
    String message;
    /** Bytes of {@link #data} the reply carries (READ data or extents). */
    int replyDataBytes;

    RequestSlot(NbdConnection conn, BufferPool buffers) {
        this.conn = conn;
        this.buffers = buffers;
    }

    /** Starts a request: clears the previous outcome. */
    void begin(int type, long cookie, long offset, long length) {
        this.type = type;
        this.cookie = cookie;
        this.offset = offset;
        this.length = length;
        this.error = null;
        this.errorDetail = null;
        this.nbdError = 0;
        this.message = null;
        this.replyDataBytes = 0;
        this.payload = null;
    }

    /** Makes {@link #data} hold at least {@code bytes}; null when the server's buffer memory has none now. */
    ByteBuffer buffer(int bytes) {
        ByteBuffer b;
        if (bytes <= RETAIN_MAX) {
            if (retained == null || retained.capacity() < bytes) {
                b = buffers.tryAcquire(Math.max(MIN_BUFFER, bytes));
                if (b == null) {
                    return null;
                }
                if (retained != null) {
                    buffers.release(retained);
                }
                retained = b;
            }
            b = retained;
        } else {
            b = buffers.tryAcquire(bytes);
            if (b == null) {
                return null;
            }
        }
        data = b;
        // Bio says position and limit are ignored, but drivers copy with absolute bulk puts,
        // which check against the limit: hand them the whole buffer.
        data.clear();
        return data;
    }

    /** The {@code i}th bio, created on first use and kept. */
    Bio bio(int i) {
        if (i >= bios.length) {
            bios = java.util.Arrays.copyOf(bios, Math.max(i + 1, bios.length * 2));
        }
        Bio b = bios[i];
        if (b == null) {
            b = new Bio().privateData(this);
            bios[i] = b;
        }
        return b;
    }

    /** Sets how many bios must complete before the reply (before the first is submitted). */
    void expect(int nrBios) {
        REMAINING.setRelease(this, nrBios);
    }

    /** {@code bi_end_io}: may run on any thread, once per bio. */
    @Override
    public void endIo(Bio bio) {
        BlkStatus st = bio.status();
        if (st != BlkStatus.OK && ERROR.compareAndSet(this, (BlkStatus) null, st)) {
            errorDetail = bio.errorDetail();
        }
        if ((int) REMAINING.getAndAdd(this, -1) == 1) {
            conn.completed(this);
        }
    }

    /** {@code n} bios that were never submitted count as failed with {@code st}. */
    void abandon(int n, BlkStatus st, String detail) {
        if (ERROR.compareAndSet(this, (BlkStatus) null, st)) {
            errorDetail = detail;
        }
        if ((int) REMAINING.getAndAdd(this, -n) == n) {
            conn.completed(this);
        }
    }

    /** The NBD error the reply carries (0 = success). */
    int replyError() {
        if (nbdError != 0) {
            return nbdError;
        }
        BlkStatus st = error;
        return st == null ? 0 : NbdErrno.of(st);
    }

    /** The error's human-readable text. */
    String replyMessage() {
        if (message != null) {
            return message;
        }
        BlkStatus st = error;
        String d = errorDetail;
        String op = NbdProto.commandName(type) + " offset " + offset + " length " + length;
        return d != null ? op + ": " + d
                : op + ": " + (st == null ? "failed" : st.name() + " (" + st.description() + " error)");
    }

    /**
     * Encodes the reply into {@link #hdr} and sets {@link #payload}: simple replies for successes
     * without data (and for everything without structured replies), one OFFSET_DATA chunk for a
     * READ, one BLOCK_STATUS chunk, and an ERROR chunk with a message for errors under structured
     * replies. Called by whichever thread completed the request.
     */
    void encodeReply(boolean structured) {
        ByteBuffer h = hdr;
        h.clear();
        int err = replyError();
        payload = null;
        if (err == 0) {
            if (type == NbdProto.CMD_READ) {
                if (structured) {
                    h.putInt(NbdProto.STRUCTURED_REPLY_MAGIC).putShort((short) NbdProto.REPLY_FLAG_DONE)
                            .putShort((short) NbdProto.REPLY_TYPE_OFFSET_DATA).putLong(cookie)
                            .putInt(8 + (int) length).putLong(offset);
                } else {
                    simple(h, 0);
                }
                payload = data.clear().limit((int) length);
            } else if (type == NbdProto.CMD_BLOCK_STATUS) {
                h.putInt(NbdProto.STRUCTURED_REPLY_MAGIC).putShort((short) NbdProto.REPLY_FLAG_DONE)
                        .putShort((short) NbdProto.REPLY_TYPE_BLOCK_STATUS).putLong(cookie).putInt(replyDataBytes);
                payload = data.clear().limit(replyDataBytes);
            } else {
                simple(h, 0);
            }
        } else if (structured) {
            byte[] m = replyMessage().getBytes(StandardCharsets.UTF_8);
            int ml = Math.min(m.length, MAX_MESSAGE);
            h.putInt(NbdProto.STRUCTURED_REPLY_MAGIC).putShort((short) NbdProto.REPLY_FLAG_DONE)
                    .putShort((short) NbdProto.REPLY_TYPE_ERROR).putLong(cookie).putInt(6 + ml)
                    .putInt(err).putShort((short) ml);
            payload = ByteBuffer.wrap(m, 0, ml);
        } else {
            simple(h, err);
        }
        h.flip();
    }

    /** At connection close: the kept buffer too goes back to the pool. */
    void releaseAll() {
        release();
        if (retained != null) {
            buffers.release(retained);
            retained = null;
            data = null;
        }
    }

    private void simple(ByteBuffer h, int err) {
        h.putInt(NbdProto.SIMPLE_REPLY_MAGIC).putInt(err).putLong(cookie);
    }

    /** After the reply went out: a large buffer goes back to the pool; message references are dropped. */
    @SuppressWarnings("ReferenceEquality") // which buffer it is, not what it holds: the slot's own stays
    void release() {
        if (data != null && data != retained) {
            buffers.release(data);
            data = null;
        }
        payload = null;
        message = null;
        errorDetail = null;
    }
}
