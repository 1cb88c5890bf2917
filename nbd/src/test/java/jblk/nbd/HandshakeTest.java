package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fixed newstyle handshake, option by option, good and bad, over a raw socket. */
@Timeout(30)
class HandshakeTest {
    private Served s;

    @BeforeEach
    void start() throws Exception {
        s = Served.start("memory_backed=1 size=16", DriverKind.SAFE, Ownership.CHECKED, "disk", false);
    }

    @AfterEach
    void stop() throws Exception {
        s.assertIdle();
        s.close();
    }

    private RawClient hello(int clientFlags) throws Exception {
        RawClient c = RawClient.connect(s.socket());
        assertEquals(NbdProto.FLAG_FIXED_NEWSTYLE | NbdProto.FLAG_NO_ZEROES, c.greeting());
        c.clientFlags(clientFlags);
        return c;
    }

    private RawClient hello() throws Exception {
        return hello(NbdProto.FLAG_C_FIXED_NEWSTYLE | NbdProto.FLAG_C_NO_ZEROES);
    }

    /** After a refused option the session goes on: GO still works and serves a READ. */
    private static void goAndRead(RawClient c) throws Exception {
        c.option(NbdProto.OPT_GO, RawClient.goData("disk"));
        RawClient.OptReply r;
        for (r = c.optReply(); r.type() == NbdProto.REP_INFO; r = c.optReply()) {
            // infos
        }
        assertEquals(NbdProto.REP_ACK, r.type(), r.text());
        RawClient.Reply rd = c.read(9, 0, 512);
        assertEquals(0, rd.error());
        assertEquals(512, rd.data().length);
        c.disc();
        assertTrue(c.atEof());
    }

    @Test
    void unknownClientFlagsCloseTheConnection() throws Exception {
        try (RawClient c = hello(0x80)) {
            assertTrue(c.atEof(), "server must drop a client with unknown flags");
        }
    }

    @Test
    void exportNameWithAndWithoutZeroPadding() throws Exception {
        for (int flags : new int[] {1, 3}) {
            try (RawClient c = hello(flags)) {
                c.option(NbdProto.OPT_EXPORT_NAME, "disk".getBytes(StandardCharsets.UTF_8));
                int n = flags == 3 ? 10 : 134;
                ByteBuffer b = c.readN(n);
                assertEquals(16L << 20, b.getLong());
                int tf = b.getShort() & 0xffff;
                assertEquals(NbdProto.FLAG_HAS_FLAGS, tf & NbdProto.FLAG_HAS_FLAGS);
                assertEquals(0, tf & NbdProto.FLAG_SEND_DF, "no DF without structured replies");
                while (b.hasRemaining()) {
                    assertEquals(0, b.get());
                }
                // Simple replies in transmission.
                byte[] data = new byte[4096];
                data[0] = 42;
                assertEquals(0, c.write(1, 8192, data).error());
                RawClient.Reply r = c.read(2, 8192, 4096);
                assertEquals(0, r.error());
                assertArrayEquals(data, r.data());
                c.disc();
                assertTrue(c.atEof());
            }
        }
    }

    @Test
    void exportNameForAnUnknownExportCloses() throws Exception {
        try (RawClient c = hello()) {
            c.option(NbdProto.OPT_EXPORT_NAME, "nope".getBytes(StandardCharsets.UTF_8));
            assertTrue(c.atEof());
        }
    }

    @Test
    void unknownOptionsAreRefusedAndHagglingGoesOn() throws Exception {
        try (RawClient c = hello()) {
            c.option(99, new byte[] {1, 2, 3});
            RawClient.OptReply r = c.optReply();
            assertEquals(99, r.option());
            assertEquals(NbdProto.REP_ERR_UNSUP, r.type());
            assertTrue(r.text().contains("not supported"), r.text());
            c.option(NbdProto.OPT_STARTTLS, new byte[0]);
            assertEquals(NbdProto.REP_ERR_UNSUP, c.optReply().type());
            c.option(NbdProto.OPT_EXTENDED_HEADERS, new byte[0]);
            assertEquals(NbdProto.REP_ERR_UNSUP, c.optReply().type());
            c.option(4, new byte[0]); // the withdrawn PEEK_EXPORT
            assertEquals(NbdProto.REP_ERR_UNSUP, c.optReply().type());
            goAndRead(c);
        }
    }

    @Test
    void listAndItsErrors() throws Exception {
        try (RawClient c = hello()) {
            c.option(NbdProto.OPT_LIST, new byte[] {0});
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "LIST with data");
            c.option(NbdProto.OPT_LIST, new byte[0]);
            RawClient.OptReply r = c.optReply();
            assertEquals(NbdProto.REP_SERVER, r.type());
            ByteBuffer d = ByteBuffer.wrap(r.data());
            int nl = d.getInt();
            byte[] name = new byte[nl];
            d.get(name);
            assertEquals("disk", new String(name, StandardCharsets.UTF_8));
            assertEquals(NbdProto.REP_ACK, c.optReply().type());
            goAndRead(c);
        }
    }

    @Test
    void malformedGoAndInfoGetErrInvalidOrUnknown() throws Exception {
        try (RawClient c = hello()) {
            c.option(NbdProto.OPT_GO, new byte[] {0, 0, 0});
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "GO shorter than 6 bytes");
            c.option(NbdProto.OPT_GO, ByteBuffer.allocate(6).putInt(100).putShort((short) 0).array());
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "name length past the data");
            c.option(NbdProto.OPT_INFO,
                    ByteBuffer.allocate(8).putInt(0).putShort((short) 2).putShort((short) 3).array());
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "info count past the data");
            c.option(NbdProto.OPT_GO, RawClient.goData("other"));
            RawClient.OptReply r = c.optReply();
            assertEquals(NbdProto.REP_ERR_UNKNOWN, r.type());
            assertTrue(r.text().contains("'other' does not exist"), r.text());
            c.option(NbdProto.OPT_GO, new byte[] {0, 0, 0, 2, (byte) 0xff, (byte) 0xfe, 0, 0});
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "name not UTF-8");
            c.option(NbdProto.OPT_STRUCTURED_REPLY, new byte[] {1});
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "STRUCTURED_REPLY with data");
            // INFO answers like GO without leaving the handshake (the default name "" selects the export).
            c.option(NbdProto.OPT_INFO, RawClient.goData("", NbdProto.INFO_NAME, NbdProto.INFO_DESCRIPTION, 77));
            RawClient.OptReply info;
            boolean sawExport = false;
            boolean sawBlock = false;
            String name = null;
            for (info = c.optReply(); info.type() == NbdProto.REP_INFO; info = c.optReply()) {
                ByteBuffer d = ByteBuffer.wrap(info.data());
                int t = d.getShort();
                sawExport |= t == NbdProto.INFO_EXPORT;
                sawBlock |= t == NbdProto.INFO_BLOCK_SIZE;
                if (t == NbdProto.INFO_NAME) {
                    name = new String(info.data(), 2, info.data().length - 2, StandardCharsets.UTF_8);
                }
            }
            assertEquals(NbdProto.REP_ACK, info.type());
            assertTrue(sawExport && sawBlock);
            assertEquals("disk", name, "canonical name");
            goAndRead(c);
        }
    }

    @Test
    void metaContextsNeedStructuredRepliesAndWellFormedQueries() throws Exception {
        try (RawClient c = hello()) {
            c.option(NbdProto.OPT_LIST_META_CONTEXT, RawClient.metaQuery("disk"));
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "needs STRUCTURED_REPLY first");
            c.option(NbdProto.OPT_STRUCTURED_REPLY, new byte[0]);
            assertEquals(NbdProto.REP_ACK, c.optReply().type());
            c.structured = true;
            for (String[] q : new String[][] {{}, {"base:"}, {"base:allocation"}}) {
                c.option(NbdProto.OPT_LIST_META_CONTEXT, RawClient.metaQuery("disk", q));
                RawClient.OptReply r = c.optReply();
                assertEquals(NbdProto.REP_META_CONTEXT, r.type(), "query " + String.join(",", q));
                assertEquals(0, ByteBuffer.wrap(r.data()).getInt(), "LIST uses id 0");
                assertEquals("base:allocation", new String(r.data(), 4, r.data().length - 4, StandardCharsets.UTF_8));
                assertEquals(NbdProto.REP_ACK, c.optReply().type());
            }
            c.option(NbdProto.OPT_LIST_META_CONTEXT, RawClient.metaQuery("disk", "x-other:thing"));
            assertEquals(NbdProto.REP_ACK, c.optReply().type(), "unknown namespaces are ignored");
            c.option(NbdProto.OPT_SET_META_CONTEXT, RawClient.metaQuery("disk", "nocolon"));
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "query without a namespace");
            c.option(NbdProto.OPT_SET_META_CONTEXT, ByteBuffer.allocate(12).putInt(0).putInt(3).putInt(50).array());
            assertEquals(NbdProto.REP_ERR_INVALID, c.optReply().type(), "truncated queries");
            c.option(NbdProto.OPT_SET_META_CONTEXT, RawClient.metaQuery("other", "base:allocation"));
            assertEquals(NbdProto.REP_ERR_UNKNOWN, c.optReply().type());
            c.option(NbdProto.OPT_SET_META_CONTEXT, RawClient.metaQuery("disk", "base:allocation"));
            RawClient.OptReply set = c.optReply();
            assertEquals(NbdProto.REP_META_CONTEXT, set.type());
            assertEquals(NbdProto.CONTEXT_BASE_ALLOCATION_ID, ByteBuffer.wrap(set.data()).getInt());
            assertEquals(NbdProto.REP_ACK, c.optReply().type());
            c.option(NbdProto.OPT_GO, RawClient.goData("disk"));
            RawClient.OptReply r;
            for (r = c.optReply(); r.type() == NbdProto.REP_INFO; r = c.optReply()) {
                // infos
            }
            assertEquals(NbdProto.REP_ACK, r.type());
            c.request(NbdProto.CMD_FLAG_REQ_ONE, NbdProto.CMD_BLOCK_STATUS, 5, 0, 1 << 20, null);
            RawClient.Reply bs = c.reply();
            assertEquals(0, bs.error(), bs.message());
            ByteBuffer p = ByteBuffer.wrap(bs.data());
            assertEquals(NbdProto.CONTEXT_BASE_ALLOCATION_ID, p.getInt());
            assertEquals(1 << 20, p.getInt());
            assertEquals(NbdProto.STATE_HOLE | NbdProto.STATE_ZERO, p.getInt());
            assertTrue(!p.hasRemaining(), "REQ_ONE gives exactly one extent");
            c.disc();
            assertTrue(c.atEof());
        }
    }

    @Test
    void protocolViolationsCloseTheConnection() throws Exception {
        try (RawClient c = hello()) {
            c.option(0x1122334455667788L, NbdProto.OPT_GO, 0, new byte[0]);
            assertTrue(c.atEof(), "wrong option magic");
        }
        try (RawClient c = hello()) {
            c.option(NbdProto.IHAVEOPT, NbdProto.OPT_GO, NbdHandshake.MAX_OPTION_LENGTH + 1, new byte[0]);
            assertTrue(c.atEof(), "option data over the limit");
        }
        try (RawClient c = hello()) {
            for (int i = 0; i < NbdHandshake.MAX_OPTIONS; i++) {
                c.option(99, new byte[0]);
                assertEquals(NbdProto.REP_ERR_UNSUP, c.optReply().type());
            }
            c.option(99, new byte[0]);
            assertTrue(c.atEof(), "one option too many");
        }
        try (RawClient c = hello()) {
            c.option(NbdProto.OPT_ABORT, new byte[0]);
            assertEquals(NbdProto.REP_ACK, c.optReply().type());
            assertTrue(c.atEof(), "ABORT ends the session");
        }
        try (RawClient c = RawClient.connect(s.socket())) {
            c.greeting();
            c.send(new byte[] {0, 0}); // half the client flags, then gone
        }
    }

    @Test
    void aHandshakeThatNeverFinishesTimesOut() throws Exception {
        try (Served quick = Served.start("memory_backed=1 size=4", DriverKind.RAW, Ownership.OFF, "", false,
                Duration.ofMillis(300))) {
            try (RawClient c = RawClient.connect(quick.socket())) {
                c.greeting();
                long t0 = System.nanoTime();
                assertTrue(c.atEof());
                assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
            }
            quick.assertIdle();
        }
    }

    @Test
    void noMetaContextWithoutAnAllocationMap() throws Exception {
        try (Served plain = Served.start("size=4", DriverKind.SAFE, Ownership.CHECKED, "", false);
                RawClient c = RawClient.connect(plain.socket())) {
            c.greeting();
            c.clientFlags(3);
            c.option(NbdProto.OPT_STRUCTURED_REPLY, new byte[0]);
            assertEquals(NbdProto.REP_ACK, c.optReply().type());
            c.option(NbdProto.OPT_LIST_META_CONTEXT, RawClient.metaQuery(""));
            assertEquals(NbdProto.REP_ACK, c.optReply().type(), "no contexts: the disk does not know its holes");
            c.option(NbdProto.OPT_ABORT, new byte[0]);
            assertEquals(NbdProto.REP_ACK, c.optReply().type());
        }
    }
}
