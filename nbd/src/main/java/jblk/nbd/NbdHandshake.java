package jblk.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The fixed newstyle handshake of one connection ({@code nbd-server}'s negotiation, nbdkit's
 * protocol-handshake-newstyle.c): greeting, client flags, then option haggling until GO or
 * EXPORT_NAME enters transmission, ABORT ends the session, or the client breaks the protocol.
 *
 * <p>Limits: option data above {@link #MAX_OPTION_LENGTH} bytes, more than {@link #MAX_OPTIONS}
 * options, a wrong option magic, or unknown client flags close the connection (the spec allows a
 * hard disconnect for these). Everything else gets an option error reply and haggling goes on:
 * unknown options ERR_UNSUP, malformed data ERR_INVALID, an unknown export ERR_UNKNOWN.
 */
final class NbdHandshake {
    /** Option data is at most 64 KiB (GO with a 4096-byte name needs 4104 bytes). */
    static final int MAX_OPTION_LENGTH = 64 << 10;
    /** A client gets this many options before the server hangs up. */
    static final int MAX_OPTIONS = 64;
    /** Strings (names, queries) are at most 4096 bytes, as the spec requires. */
    static final int MAX_STRING = 4096;

    private final SocketChannel ch;
    private final WireInput in;
    private final NbdExport export;
    private final ByteBuffer out = ByteBuffer.allocate(MAX_OPTION_LENGTH + 64);
    private final String who;

    private boolean noZeroes;
    private boolean structuredReplies;
    /** The export SET_META_CONTEXT last selected base:allocation for, or null. */
    private String metaExport;

    NbdHandshake(SocketChannel ch, WireInput in, NbdExport export, String who) {
        this.ch = ch;
        this.in = in;
        this.export = export;
        this.who = who;
    }

    /** Runs the handshake: the negotiated state, or null when the client aborted or left. */
    Negotiated run() throws IOException {
        out.clear();
        out.putLong(NbdProto.INIT_PASSWD).putLong(NbdProto.IHAVEOPT)
                .putShort((short) (NbdProto.FLAG_FIXED_NEWSTYLE | NbdProto.FLAG_NO_ZEROES));
        send();
        if (!in.fill(4)) {
            return null;
        }
        int clientFlags = in.getInt();
        int known = NbdProto.FLAG_C_FIXED_NEWSTYLE | NbdProto.FLAG_C_NO_ZEROES;
        if ((clientFlags & ~known) != 0) {
            throw new ProtocolViolation("client flags 0x" + Integer.toHexString(clientFlags)
                    + " has unknown bits: allowed 0x" + Integer.toHexString(known));
        }
        noZeroes = (clientFlags & NbdProto.FLAG_C_NO_ZEROES) != 0;
        for (int n = 1; ; n++) {
            if (!in.fill(16)) {
                return null;
            }
            long magic = in.getLong();
            int opt = in.getInt();
            int len = in.getInt();
            if (magic != NbdProto.IHAVEOPT) {
                throw new ProtocolViolation("option magic 0x" + Long.toHexString(magic) + " is wrong: expected 0x"
                        + Long.toHexString(NbdProto.IHAVEOPT) + " (IHAVEOPT)");
            }
            if (n > MAX_OPTIONS) {
                throw new ProtocolViolation("more than " + MAX_OPTIONS + " options in one handshake");
            }
            if (len < 0 || len > MAX_OPTION_LENGTH) {
                throw new ProtocolViolation(NbdProto.optionName(opt) + " has " + Integer.toUnsignedString(len)
                        + " bytes of data: allowed 0.." + MAX_OPTION_LENGTH);
            }
            byte[] data = in.readBytes(len, NbdProto.optionName(opt) + " data");
            Negotiated done = option(opt, ByteBuffer.wrap(data));
            if (done != null) {
                return isAborted(done) ? null : done;
            }
        }
    }

    private static final Negotiated ABORTED = new Negotiated(null, false, false);

    @SuppressWarnings("ReferenceEquality") // ABORTED is a sentinel: the very object, not an equal value
    private static boolean isAborted(Negotiated n) {
        return n == ABORTED;
    }

    /** Handles one option: null to keep haggling, {@link #ABORTED}, or the negotiated state. */
    private Negotiated option(int opt, ByteBuffer d) throws IOException {
        switch (opt) {
            case NbdProto.OPT_EXPORT_NAME:
                return exportName(d);
            case NbdProto.OPT_ABORT:
                reply(opt, NbdProto.REP_ACK);
                return ABORTED;
            case NbdProto.OPT_LIST:
                if (d.hasRemaining()) {
                    error(opt, NbdProto.REP_ERR_INVALID, "LIST takes no data, got " + d.remaining() + " bytes");
                    return null;
                }
                byte[] nm = utf8(export.name());
                byte[] desc = utf8(export.description());
                startReply(opt, NbdProto.REP_SERVER, 4 + nm.length + desc.length);
                out.putInt(nm.length).put(nm).put(desc);
                send();
                reply(opt, NbdProto.REP_ACK);
                return null;
            case NbdProto.OPT_STARTTLS:
                if (d.hasRemaining()) {
                    error(opt, NbdProto.REP_ERR_INVALID, "STARTTLS takes no data");
                } else {
                    error(opt, NbdProto.REP_ERR_UNSUP, "TLS is not supported by this server");
                }
                return null;
            case NbdProto.OPT_INFO:
            case NbdProto.OPT_GO:
                return infoOrGo(opt, d);
            case NbdProto.OPT_STRUCTURED_REPLY:
                if (d.hasRemaining()) {
                    error(opt, NbdProto.REP_ERR_INVALID, "STRUCTURED_REPLY takes no data, got " + d.remaining()
                            + " bytes");
                } else {
                    structuredReplies = true;
                    reply(opt, NbdProto.REP_ACK);
                }
                return null;
            case NbdProto.OPT_LIST_META_CONTEXT:
            case NbdProto.OPT_SET_META_CONTEXT:
                metaContext(opt, d);
                return null;
            default:
                error(opt, NbdProto.REP_ERR_UNSUP, NbdProto.optionName(opt) + " is not supported by this server");
                return null;
        }
    }

    private Negotiated exportName(ByteBuffer d) throws IOException {
        String name = string(d, d.remaining());
        if (name == null || !export.matches(name)) {
            // EXPORT_NAME cannot carry an error: the spec says to close the connection.
            throw new ProtocolViolation("EXPORT_NAME asked for " + (name == null ? "an invalid name"
                    : "export '" + name + "'") + ", which does not exist (exports: '" + export.name() + "')");
        }
        out.clear();
        out.putLong(export.sizeBytes()).putShort((short) export.transmissionFlags(structuredReplies));
        if (!noZeroes) {
            out.put(new byte[124]);
        }
        send();
        return new Negotiated(export, structuredReplies, metaExport != null && export.matches(metaExport));
    }

    private Negotiated infoOrGo(int opt, ByteBuffer d) throws IOException {
        String what = NbdProto.optionName(opt);
        int len = d.remaining();
        if (len < 6) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " data is " + len + " bytes: at least 6 needed");
            return null;
        }
        long nameLen = Integer.toUnsignedLong(d.getInt());
        if (nameLen > len - 6) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " export name length " + nameLen
                    + " exceeds the option data (" + len + " bytes)");
            return null;
        }
        String name = string(d, (int) nameLen);
        int nInfo = d.getShort() & 0xffff;
        if (len != 4 + nameLen + 2 + 2L * nInfo) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " data is " + len + " bytes but export name length "
                    + nameLen + " and " + nInfo + " info requests need " + (4 + nameLen + 2 + 2L * nInfo));
            return null;
        }
        if (name == null) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " export name is not valid UTF-8 without NUL");
            return null;
        }
        if (!export.matches(name)) {
            error(opt, NbdProto.REP_ERR_UNKNOWN, "export '" + name + "' does not exist (exports: '" + export.name()
                    + "')");
            return null;
        }
        boolean wantName = false;
        boolean wantDescription = false;
        for (int i = 0; i < nInfo; i++) {
            int t = d.getShort() & 0xffff;
            wantName |= t == NbdProto.INFO_NAME;
            wantDescription |= t == NbdProto.INFO_DESCRIPTION;
        }
        startReply(opt, NbdProto.REP_INFO, 12);
        out.putShort((short) NbdProto.INFO_EXPORT).putLong(export.sizeBytes())
                .putShort((short) export.transmissionFlags(structuredReplies));
        send();
        // Sent whether asked or not (the spec allows it): clients that care always ask.
        startReply(opt, NbdProto.REP_INFO, 14);
        out.putShort((short) NbdProto.INFO_BLOCK_SIZE).putInt(export.minimumBlockSize())
                .putInt(export.preferredBlockSize()).putInt(export.maximumBlockSize());
        send();
        if (wantName) {
            byte[] nm = utf8(export.name());
            startReply(opt, NbdProto.REP_INFO, 2 + nm.length);
            out.putShort((short) NbdProto.INFO_NAME).put(nm);
            send();
        }
        if (wantDescription && !export.description().isEmpty()) {
            byte[] ds = utf8(export.description());
            startReply(opt, NbdProto.REP_INFO, 2 + ds.length);
            out.putShort((short) NbdProto.INFO_DESCRIPTION).put(ds);
            send();
        }
        reply(opt, NbdProto.REP_ACK);
        if (opt == NbdProto.OPT_INFO) {
            return null;
        }
        boolean meta = metaExport != null && export.matches(metaExport);
        return new Negotiated(export, structuredReplies, meta);
    }

    /** LIST_META_CONTEXT / SET_META_CONTEXT: base:allocation is the one context, when the disk has a map. */
    private void metaContext(int opt, ByteBuffer d) throws IOException {
        boolean set = opt == NbdProto.OPT_SET_META_CONTEXT;
        String what = NbdProto.optionName(opt);
        if (set) {
            metaExport = null; // SET replaces the selection even when it fails
        }
        if (!structuredReplies) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " needs STRUCTURED_REPLY first");
            return;
        }
        int len = d.remaining();
        if (len < 8) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " data is " + len + " bytes: at least 8 needed");
            return;
        }
        long nameLen = Integer.toUnsignedLong(d.getInt());
        if (nameLen > d.remaining() - 4) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " export name length " + nameLen + " exceeds the option data");
            return;
        }
        String name = string(d, (int) nameLen);
        long nq = Integer.toUnsignedLong(d.getInt());
        String[] queries = new String[(int) Math.min(nq, d.remaining() / 4 + 1)];
        for (int i = 0; i < nq; i++) {
            if (d.remaining() < 4) {
                error(opt, NbdProto.REP_ERR_INVALID, what + " query " + i + " of " + nq
                        + " is missing (data truncated)");
                return;
            }
            long ql = Integer.toUnsignedLong(d.getInt());
            if (ql > d.remaining() || ql > MAX_STRING) {
                error(opt, NbdProto.REP_ERR_INVALID, what + " query " + i + " length " + ql
                        + " exceeds the option data or the 4096-byte string limit");
                return;
            }
            String q = string(d, (int) ql);
            if (q == null || q.indexOf(':') < 0) {
                error(opt, NbdProto.REP_ERR_INVALID, what + " query " + i + " is not 'namespace:name'");
                return;
            }
            queries[i] = q;
        }
        if (d.hasRemaining()) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " has " + d.remaining() + " bytes after its last query");
            return;
        }
        if (name == null) {
            error(opt, NbdProto.REP_ERR_INVALID, what + " export name is not valid UTF-8 without NUL");
            return;
        }
        if (!export.matches(name)) {
            error(opt, NbdProto.REP_ERR_UNKNOWN, "export '" + name + "' does not exist (exports: '" + export.name()
                    + "')");
            return;
        }
        boolean match = false;
        if (export.hasAllocationMap()) {
            if (!set && nq == 0) {
                match = true;
            }
            for (String q : queries) {
                match |= q.equals(NbdProto.CONTEXT_BASE_ALLOCATION) || (!set && q.equals("base:"));
            }
        }
        if (match) {
            byte[] ctx = utf8(NbdProto.CONTEXT_BASE_ALLOCATION);
            startReply(opt, NbdProto.REP_META_CONTEXT, 4 + ctx.length);
            out.putInt(set ? NbdProto.CONTEXT_BASE_ALLOCATION_ID : 0).put(ctx);
            send();
            if (set) {
                metaExport = name;
            }
        }
        reply(opt, NbdProto.REP_ACK);
    }

    // ---- encoding --------------------------------------------------------------------------

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code len} bytes of {@code d} as a string, or null if not valid UTF-8, too long, or with a NUL. */
    private static String string(ByteBuffer d, int len) {
        ByteBuffer slice = d.slice().limit(len);
        d.position(d.position() + len);
        if (len > MAX_STRING) {
            return null;
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
            return s.indexOf('\0') >= 0 ? null : s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void startReply(int opt, int type, int len) {
        out.clear();
        out.putLong(NbdProto.REP_MAGIC).putInt(opt).putInt(type).putInt(len);
    }

    private void reply(int opt, int type) throws IOException {
        startReply(opt, type, 0);
        send();
    }

    /** An option error reply carrying {@code message} (the client may show it). */
    private void error(int opt, int type, String message) throws IOException {
        byte[] m = utf8(message);
        if (m.length > MAX_STRING) {
            m = java.util.Arrays.copyOf(m, MAX_STRING);
        }
        startReply(opt, type, m.length);
        out.put(m);
        send();
        NbdLog.debug(who + ": " + NbdProto.optionName(opt) + " refused: " + message);
    }

    private void send() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }

    boolean noZeroes() {
        return noZeroes;
    }
}
