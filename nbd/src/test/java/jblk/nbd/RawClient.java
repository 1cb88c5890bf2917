package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A hand-written NBD client over a raw socket, for requests real clients never send (bad magic,
 * bad flags, out of range, misaligned, after DISC) and for checking replies byte by byte.
 */
final class RawClient implements AutoCloseable {
    @SuppressWarnings("ArrayRecordComponent") // a reply's bytes as read, looked at field by field, never compared
    record OptReply(int option, int type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** One reply: error 0 or an NBD error; READ data; BLOCK_STATUS payload; the error chunk's message. */
    @SuppressWarnings("ArrayRecordComponent") // as OptReply
    record Reply(long cookie, int error, byte[] data, boolean structured, int chunkType, String message) {
    }

    final SocketChannel ch;
    long size;
    int tflags;
    int minBlock;
    int maxBlock;
    boolean structured;
    private final Map<Long, Integer> readLengths = new HashMap<>();

    private RawClient(SocketChannel ch) {
        this.ch = ch;
    }

    static RawClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new RawClient(ch);
    }

    /** Connects, negotiates (optionally structured replies and base:allocation) and enters transmission. */
    static RawClient open(Path socket, boolean structured, boolean meta) throws IOException {
        RawClient c = connect(socket);
        c.greeting();
        c.send(ByteBuffer.allocate(4).putInt(NbdProto.FLAG_C_FIXED_NEWSTYLE | NbdProto.FLAG_C_NO_ZEROES).flip());
        if (structured) {
            c.option(NbdProto.OPT_STRUCTURED_REPLY, new byte[0]);
            assertEquals(NbdProto.REP_ACK, c.optReply().type());
            c.structured = true;
        }
        if (meta) {
            c.option(NbdProto.OPT_SET_META_CONTEXT, metaQuery("", NbdProto.CONTEXT_BASE_ALLOCATION));
            OptReply r = c.optReply();
            assertEquals(NbdProto.REP_META_CONTEXT, r.type(), "base:allocation not offered: " + r.text());
            assertEquals(NbdProto.REP_ACK, c.optReply().type());
        }
        c.option(NbdProto.OPT_GO, goData("", NbdProto.INFO_BLOCK_SIZE));
        while (true) {
            OptReply r = c.optReply();
            if (r.type() == NbdProto.REP_ACK) {
                break;
            }
            assertEquals(NbdProto.REP_INFO, r.type(), "GO failed: " + r.text());
            ByteBuffer d = ByteBuffer.wrap(r.data());
            int info = d.getShort() & 0xffff;
            if (info == NbdProto.INFO_EXPORT) {
                c.size = d.getLong();
                c.tflags = d.getShort() & 0xffff;
            } else if (info == NbdProto.INFO_BLOCK_SIZE) {
                c.minBlock = d.getInt();
                d.getInt();
                c.maxBlock = d.getInt();
            }
        }
        return c;
    }

    static byte[] goData(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length);
        b.putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) {
            b.putShort((short) i);
        }
        return b.array();
    }

    static byte[] metaQuery(String name, String... queries) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int len = 4 + n.length + 4;
        for (String q : queries) {
            len += 4 + q.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putInt(n.length).put(n).putInt(queries.length);
        for (String q : queries) {
            byte[] qb = q.getBytes(StandardCharsets.UTF_8);
            b.putInt(qb.length).put(qb);
        }
        return b.array();
    }

    /** Reads and checks the 18-byte greeting; returns the handshake flags. */
    int greeting() throws IOException {
        ByteBuffer g = readN(18);
        assertEquals(NbdProto.INIT_PASSWD, g.getLong());
        assertEquals(NbdProto.IHAVEOPT, g.getLong());
        return g.getShort() & 0xffff;
    }

    void clientFlags(int flags) throws IOException {
        send(ByteBuffer.allocate(4).putInt(flags).flip());
    }

    void option(int opt, byte[] data) throws IOException {
        option(NbdProto.IHAVEOPT, opt, data.length, data);
    }

    void option(long magic, int opt, int declaredLength, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length);
        b.putLong(magic).putInt(opt).putInt(declaredLength).put(data).flip();
        send(b);
    }

    OptReply optReply() throws IOException {
        ByteBuffer h = readN(20);
        assertEquals(NbdProto.REP_MAGIC, h.getLong(), "option reply magic");
        int opt = h.getInt();
        int type = h.getInt();
        int len = h.getInt();
        assertTrue(len >= 0 && len < (1 << 20), "reply length " + len);
        byte[] d = new byte[len];
        readN(len).get(d);
        return new OptReply(opt, type, d);
    }

    // ---- transmission ----------------------------------------------------------------------

    void request(int flags, int type, long cookie, long offset, long length, byte[] payload) throws IOException {
        request(NbdProto.REQUEST_MAGIC, flags, type, cookie, offset, length, payload);
    }

    void request(int magic, int flags, int type, long cookie, long offset, long length, byte[] payload)
            throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28 + (payload == null ? 0 : payload.length));
        b.putInt(magic).putShort((short) flags).putShort((short) type).putLong(cookie).putLong(offset)
                .putInt((int) length);
        if (payload != null) {
            b.put(payload);
        }
        b.flip();
        if (type == NbdProto.CMD_READ) {
            readLengths.put(cookie, (int) length);
        }
        send(b);
    }

    Reply read(long cookie, long offset, int length) throws IOException {
        request(0, NbdProto.CMD_READ, cookie, offset, length, null);
        return reply();
    }

    Reply write(long cookie, long offset, byte[] data) throws IOException {
        request(0, NbdProto.CMD_WRITE, cookie, offset, data.length, data);
        return reply();
    }

    /** Reads one complete reply (all chunks up to DONE for a structured one). */
    Reply reply() throws IOException {
        ByteBuffer m = readN(4);
        int magic = m.getInt();
        if (magic == NbdProto.SIMPLE_REPLY_MAGIC) {
            ByteBuffer h = readN(12);
            int err = h.getInt();
            long cookie = h.getLong();
            Integer rl = readLengths.remove(cookie);
            byte[] data = null;
            if (err == 0 && rl != null) {
                data = new byte[rl];
                readN(rl).get(data);
            }
            return new Reply(cookie, err, data, false, -1, null);
        }
        assertEquals(NbdProto.STRUCTURED_REPLY_MAGIC, magic, "reply magic");
        assertTrue(structured, "structured reply without STRUCTURED_REPLY negotiated");
        long cookie = 0;
        int err = 0;
        byte[] data = null;
        int lastType = -1;
        String msg = null;
        while (true) {
            ByteBuffer h = readN(16);
            int flags = h.getShort() & 0xffff;
            int type = h.getShort() & 0xffff;
            cookie = h.getLong();
            int len = h.getInt();
            ByteBuffer p = readN(len);
            lastType = type;
            if (type == NbdProto.REPLY_TYPE_OFFSET_DATA) {
                long off = p.getLong();
                Integer rl = readLengths.get(cookie);
                assertTrue(rl != null, "OFFSET_DATA for a cookie that is not a pending READ");
                if (data == null) {
                    data = new byte[rl];
                }
                p.get(data, 0, len - 8); // one chunk per read from this server
                assertEquals(len - 8, rl, "one OFFSET_DATA chunk covers the read (offset " + off + ")");
            } else if (type == NbdProto.REPLY_TYPE_BLOCK_STATUS) {
                data = new byte[len];
                p.get(data);
            } else if (type == NbdProto.REPLY_TYPE_ERROR) {
                err = p.getInt();
                int ml = p.getShort() & 0xffff;
                byte[] mb = new byte[ml];
                p.get(mb);
                msg = new String(mb, StandardCharsets.UTF_8);
            } else if (type != NbdProto.REPLY_TYPE_NONE) {
                throw new AssertionError("unexpected chunk type " + type);
            }
            if ((flags & NbdProto.REPLY_FLAG_DONE) != 0) {
                break;
            }
            m = readN(4);
            assertEquals(NbdProto.STRUCTURED_REPLY_MAGIC, m.getInt(), "chunk magic");
        }
        readLengths.remove(cookie);
        return new Reply(cookie, err, data, true, lastType, msg);
    }

    void disc() throws IOException {
        request(0, NbdProto.CMD_DISC, 0, 0, 0, null);
    }

    /** True when the server closed the connection (read gives end of stream or a reset). */
    boolean atEof() {
        try {
            ByteBuffer b = ByteBuffer.allocate(1);
            return ch.read(b) < 0;
        } catch (IOException e) {
            return true;
        }
    }

    void send(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    void send(byte[] b) throws IOException {
        send(ByteBuffer.wrap(b));
    }

    ByteBuffer readN(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("server closed the connection after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
