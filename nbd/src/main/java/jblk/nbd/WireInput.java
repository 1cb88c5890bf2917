package jblk.nbd;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The buffered receive side of one connection: a direct buffer refilled from the socket with as
 * many bytes as the kernel has (one read may bring many pipelined requests), and large payloads
 * read straight into their destination.
 *
 * <p>During the handshake reads block. In transmission the socket is non-blocking: a read that
 * finds nothing runs the connection's {@code beforeBlock} hook, which sends the replies gathered
 * so far (replies go out in one write per batch, never waiting behind a read), then polls the
 * socket for a short while ({@link SpinPolicy}), then waits in a selector.
 */
final class WireInput {
    /** Payloads at least this large that are not yet buffered are read straight into the target. */
    private static final int DIRECT_READ_MIN = 64 << 10;
    /** Polls that come up empty in a row before the reader stops polling ... */
    private static final int MISSES_BEFORE_BACKOFF = 4;
    /** ... for this many waits. */
    private static final int BACKOFF_WAITS = 256;

    private final SocketChannel ch;
    private final ByteBuffer buf;
    private final Runnable beforeBlock;
    private Selector selector;
    private SpinPolicy spin = SpinPolicy.none();
    private int misses;
    private int backoff;

    /** select's action for ready keys: none, the caller looks at its one channel itself. */
    private static void ignoreKey(SelectionKey k) {
    }

    /** Reads {@code ch} through {@code buffer} (the connection's, from the server's {@link BufferPool}). */
    WireInput(SocketChannel ch, ByteBuffer buffer, Runnable beforeBlock) {
        this.ch = ch;
        this.buf = buffer;
        this.buf.clear();
        this.buf.flip(); // read mode, empty
        this.beforeBlock = beforeBlock;
    }

    /** Switches to non-blocking reads with polling per {@code spin} (transmission phase). */
    void nonBlocking(SpinPolicy spin) throws IOException {
        ch.configureBlocking(false);
        selector = Selector.open();
        ch.register(selector, SelectionKey.OP_READ);
        this.spin = spin;
    }

    void close() {
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Reads what the socket has into {@code dst} (at least one byte), waiting if needed; -1 at end of stream. */
    private int readSome(ByteBuffer dst) throws IOException {
        if (selector == null) {
            beforeBlock.run();
            return ch.read(dst);
        }
        int r = ch.read(dst);
        if (r != 0) {
            return r; // more requests already here: they join the batch before the replies go out
        }
        beforeBlock.run();
        if (backoff > 0) {
            backoff--;
        } else if (spin.tryStart()) {
            try {
                long end = System.nanoTime() + spin.spinNanos();
                do {
                    Thread.onSpinWait();
                    r = ch.read(dst);
                    if (r != 0) {
                        misses = 0;
                        return r;
                    }
                } while (System.nanoTime() - end < 0);
            } finally {
                spin.end();
            }
            if (++misses >= MISSES_BEFORE_BACKOFF) {
                misses = 0;
                backoff = BACKOFF_WAITS; // this client pauses longer than a poll: stop burning a CPU on it
            }
        }
        while (true) {
            // With a timeout: a socket closed by another thread does not wake a selector.
            selector.select(WireInput::ignoreKey, 100);
            if (!ch.isOpen()) {
                throw new ClosedChannelException();
            }
            r = ch.read(dst);
            if (r != 0) {
                return r;
            }
        }
    }

    /** The buffer in read mode: bytes [position, limit) are received and not yet consumed. */
    ByteBuffer buffer() {
        return buf;
    }

    int available() {
        return buf.remaining();
    }

    /**
     * Makes at least {@code n} bytes available (n at most the capacity). Returns false at end of
     * stream: {@link #available()} then tells whether it came between messages (0) or inside one.
     */
    boolean fill(int n) throws IOException {
        if (buf.remaining() >= n) {
            return true;
        }
        if (buf.position() > 0) {
            buf.compact();
            buf.flip();
        }
        while (buf.remaining() < n) {
            int pos = buf.position();
            int lim = buf.limit();
            buf.position(lim).limit(buf.capacity());
            int r;
            try {
                r = readSome(buf);
            } finally {
                buf.limit(buf.position()).position(pos);
            }
            if (r < 0) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #fill} but end of stream is an error naming {@code what}. */
    void need(int n, String what) throws IOException {
        if (!fill(n)) {
            throw new EOFException("client closed the connection in the middle of " + what
                    + " (" + buf.remaining() + " of " + n + " bytes received)");
        }
    }

    long getLong() {
        return buf.getLong();
    }

    int getInt() {
        return buf.getInt();
    }

    /**
     * Reads {@code len} bytes into {@code dst[off, off + len)} (absolute; dst's position/limit are used and left
     * undefined).
     */
    void readInto(ByteBuffer dst, int off, int len, String what) throws IOException {
        int fromBuf = Math.min(len, buf.remaining());
        if (fromBuf < len && len - fromBuf < DIRECT_READ_MIN && len <= buf.capacity()) {
            need(len, what);
            fromBuf = len;
        }
        if (fromBuf > 0) {
            dst.put(off, buf, buf.position(), fromBuf);
            buf.position(buf.position() + fromBuf);
        }
        if (fromBuf == len) {
            return;
        }
        dst.limit(off + len).position(off + fromBuf);
        while (dst.hasRemaining()) {
            if (readSome(dst) < 0) {
                throw new EOFException("client closed the connection in the middle of " + what + " ("
                        + (dst.position() - off) + " of " + len + " bytes received)");
            }
        }
    }

    /** Reads {@code len} bytes into a new array (handshake strings, small). */
    byte[] readBytes(int len, String what) throws IOException {
        byte[] b = new byte[len];
        int done = 0;
        while (done < len) {
            if (!buf.hasRemaining()) {
                need(1, what);
            }
            int n = Math.min(len - done, buf.remaining());
            buf.get(b, done, n);
            done += n;
        }
        return b;
    }

    /** Consumes and drops {@code len} bytes (a rejected WRITE's payload). */
    void skip(long len, String what) throws IOException {
        long left = len;
        while (left > 0) {
            if (!buf.hasRemaining()) {
                need(1, what);
            }
            int n = (int) Math.min(left, buf.remaining());
            buf.position(buf.position() + n);
            left -= n;
        }
    }
}
