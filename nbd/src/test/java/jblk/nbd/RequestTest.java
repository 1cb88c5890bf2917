package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Transmission-phase requests, good and bad, over a raw socket, with and without structured replies. */
@Timeout(60)
class RequestTest {
    private static final int SIZE = 16 << 20;

    private static byte[] pattern(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void assertError(int want, RawClient.Reply r, String what) {
        assertEquals(want, r.error(), what + ": got " + NbdErrno.name(r.error()) + " (" + r.message() + ")");
        if (r.structured()) {
            assertEquals(NbdProto.REPLY_TYPE_ERROR, r.chunkType());
            assertNotNull(r.message(), what + ": error chunk carries a message");
        }
    }

    @ParameterizedTest(name = "structured replies {0}")
    @ValueSource(booleans = {false, true})
    void badRequestsGetTheRightErrorAndTheConnectionGoesOn(boolean sr) throws Exception {
        final int BIG = 64 << 20; // room for requests above the 32 MiB maximum
        try (Served s = Served.start("memory_backed=1 size=64 irqmode=0");
                RawClient c = RawClient.open(s.socket(), sr, false)) {
            assertEquals(BIG, c.size);
            assertEquals(512, c.minBlock);
            assertEquals(NbdExport.MAX_REQUEST, c.maxBlock);
            RawClient.Reply r = c.read(1, BIG - 512, 1024);
            assertError(NbdProto.EINVAL, r, "READ past the end");
            if (sr) {
                assertTrue(r.message().contains("past the end of the export"), r.message());
            }
            assertError(NbdProto.ENOSPC, c.write(2, BIG - 512, new byte[1024]), "WRITE past the end");
            assertError(NbdProto.ENOSPC, c.write(3, Long.MAX_VALUE - 100, new byte[512]), "WRITE at a huge offset");
            c.request(0, NbdProto.CMD_READ, 4, -512L, 512, null);
            assertError(NbdProto.EINVAL, c.reply(), "READ at offset 2^64-512 (no overflow)");
            assertError(NbdProto.EINVAL, c.read(5, 100, 512), "misaligned offset");
            assertError(NbdProto.EINVAL, c.read(6, 512, 100), "misaligned length");
            assertError(NbdProto.EINVAL, c.read(7, 0, 0), "zero length");
            c.request(0, 42, 8, 0, 512, null);
            assertError(NbdProto.EINVAL, c.reply(), "unknown command");
            c.request(0, NbdProto.CMD_CACHE, 9, 0, 512, null);
            assertError(NbdProto.EINVAL, c.reply(), "CACHE (not advertised)");
            c.request(0x40, NbdProto.CMD_FLUSH, 10, 0, 0, null);
            assertError(NbdProto.EINVAL, c.reply(), "FLUSH with an unknown flag");
            c.request(NbdProto.CMD_FLAG_NO_HOLE, NbdProto.CMD_WRITE, 11, 0, 512, new byte[512]);
            assertError(NbdProto.EINVAL, c.reply(), "NO_HOLE on WRITE");
            c.request(NbdProto.CMD_FLAG_DF, NbdProto.CMD_READ, 12, 0, 512, null);
            RawClient.Reply df = c.reply();
            if (sr) {
                assertEquals(0, df.error(), "DF is fine with structured replies");
            } else {
                assertError(NbdProto.EINVAL, df, "DF without structured replies");
            }
            c.request(0, NbdProto.CMD_FLUSH, 13, 512, 0, null);
            assertError(NbdProto.EINVAL, c.reply(), "FLUSH with an offset");
            c.request(0, NbdProto.CMD_BLOCK_STATUS, 14, 0, 4096, null);
            assertError(NbdProto.EINVAL, c.reply(), "BLOCK_STATUS without a meta context");
            c.request(0, NbdProto.CMD_TRIM, 15, 0, 4096, null);
            assertError(NbdProto.EINVAL, c.reply(), "TRIM on a disk without discard");
            assertError(NbdProto.EINVAL, c.read(16, 0, NbdExport.MAX_REQUEST + 512), "READ above the maximum");
            // A WRITE above the maximum is refused, its payload read and dropped: the stream stays in sync.
            assertError(NbdProto.EINVAL, c.write(17, 0, new byte[NbdExport.MAX_REQUEST + 4096]),
                    "WRITE above the maximum");
            byte[] data = pattern(8192, 1);
            assertEquals(0, c.write(18, 4096, data).error());
            RawClient.Reply back = c.read(19, 4096, 8192);
            assertEquals(0, back.error());
            assertArrayEquals(data, back.data());
            c.request(0, NbdProto.CMD_FLUSH, 20, 0, 0, null);
            assertEquals(0, c.reply().error());
            c.disc();
            assertTrue(c.atEof());
            s.assertIdle();
            assertEquals(sr ? 16 : 17, s.server.refusedRequests(), "requests refused");
        }
    }

    @ParameterizedTest(name = "structured replies {0}")
    @ValueSource(booleans = {false, true})
    void aBioErrorBecomesEioWithTheBlockLayersReason(boolean sr) throws Exception {
        // null_blk bad blocks: sectors 64..71 fail with IOERR.
        try (Served s = Served.start("memory_backed=1 size=16 badblocks=+64-71 irqmode=1");
                RawClient c = RawClient.open(s.socket(), sr, false)) {
            assertEquals(0, c.read(1, 0, 32768).error(), "sectors 0..63 are fine");
            RawClient.Reply r = c.read(2, 32768, 4096);
            assertError(NbdProto.EIO, r, "READ of a bad block");
            if (sr) {
                assertTrue(r.message().contains("READ offset 32768 length 4096") && r.message().contains("IOERR"),
                        r.message());
            }
            // A request split into bios fails as a whole if one of them fails.
            assertError(NbdProto.EIO, c.write(3, 0, new byte[65536]), "WRITE across a bad block");
            assertEquals(0, c.write(4, 40960, new byte[4096]).error(), "after the bad blocks");
            c.disc();
            assertTrue(c.atEof());
        }
    }

    @Test
    void readOnlyExportRefusesWritesWithEperm() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=16 discard=1", DriverKind.SAFE, Ownership.CHECKED, "", true);
                RawClient c = RawClient.open(s.socket(), true, false)) {
            assertEquals(NbdProto.FLAG_READ_ONLY, c.tflags & NbdProto.FLAG_READ_ONLY);
            assertEquals(0,
                    c.tflags & (NbdProto.FLAG_SEND_TRIM | NbdProto.FLAG_SEND_WRITE_ZEROES | NbdProto.FLAG_SEND_FUA));
            assertError(NbdProto.EPERM, c.write(1, 0, new byte[4096]), "WRITE");
            c.request(0, NbdProto.CMD_TRIM, 2, 0, 4096, null);
            assertError(NbdProto.EPERM, c.reply(), "TRIM");
            c.request(0, NbdProto.CMD_WRITE_ZEROES, 3, 0, 4096, null);
            assertError(NbdProto.EPERM, c.reply(), "WRITE_ZEROES");
            c.request(NbdProto.CMD_FLAG_FUA, NbdProto.CMD_READ, 4, 0, 4096, null);
            assertError(NbdProto.EINVAL, c.reply(), "FUA is not advertised on a read-only export");
            assertEquals(0, c.read(5, 0, 4096).error(), "reads work");
            c.request(0, NbdProto.CMD_FLUSH, 6, 0, 0, null);
            assertEquals(0, c.reply().error(), "FLUSH is allowed");
        }
    }

    @Test
    void writeZeroesTrimFuaAndSplitRequests() throws Exception {
        // max_sectors=8: every bio is at most 4 KiB, so a 1 MiB request becomes 256 bios.
        try (Served s = Served.start("memory_backed=1 size=16 discard=1 irqmode=1 max_sectors=8 submit_queues=2");
                RawClient c = RawClient.open(s.socket(), true, true)) {
            assertEquals(NbdProto.FLAG_SEND_TRIM | NbdProto.FLAG_SEND_WRITE_ZEROES,
                    c.tflags & (NbdProto.FLAG_SEND_TRIM | NbdProto.FLAG_SEND_WRITE_ZEROES));
            byte[] big = pattern(1 << 20, 2);
            c.request(NbdProto.CMD_FLAG_FUA, NbdProto.CMD_WRITE, 1, 3 << 20, big.length, big);
            assertEquals(0, c.reply().error());
            RawClient.Reply r = c.read(2, 3 << 20, big.length);
            assertEquals(0, r.error());
            assertArrayEquals(big, r.data(), "a request split into 256 bios reads back whole");
            // WRITE_ZEROES with NO_HOLE: zeros, still allocated.
            c.request(NbdProto.CMD_FLAG_NO_HOLE, NbdProto.CMD_WRITE_ZEROES, 3, 3 << 20, 8192, null);
            assertEquals(0, c.reply().error());
            byte[] z = c.read(4, 3 << 20, 8192).data();
            assertArrayEquals(new byte[8192], z);
            c.request(NbdProto.CMD_FLAG_REQ_ONE, NbdProto.CMD_BLOCK_STATUS, 5, 3 << 20, 8192, null);
            ByteBuffer p = ByteBuffer.wrap(c.reply().data());
            p.getInt();
            assertEquals(8192, p.getInt());
            assertEquals(0, p.getInt(), "NO_HOLE keeps the pages: data");
            // TRIM punches a hole.
            c.request(0, NbdProto.CMD_TRIM, 6, 3 << 20, 8192, null);
            assertEquals(0, c.reply().error());
            c.request(NbdProto.CMD_FLAG_REQ_ONE, NbdProto.CMD_BLOCK_STATUS, 7, 3 << 20, 8192, null);
            p = ByteBuffer.wrap(c.reply().data());
            p.getInt();
            assertEquals(8192, p.getInt());
            assertEquals(NbdProto.STATE_HOLE | NbdProto.STATE_ZERO, p.getInt());
            // The rest of the written MiB is still there.
            r = c.read(8, (3 << 20) + 8192, big.length - 8192);
            assertArrayEquals(java.util.Arrays.copyOfRange(big, 8192, big.length), r.data());
            // Block status of the whole disk: hole, data, hole.
            c.request(0, NbdProto.CMD_BLOCK_STATUS, 9, 0, SIZE, null);
            p = ByteBuffer.wrap(c.reply().data());
            assertEquals(NbdProto.CONTEXT_BASE_ALLOCATION_ID, p.getInt());
            // [0, 3 MiB) never written and the trimmed 8 KiB merge into one hole.
            assertEquals((3 << 20) + 8192, p.getInt());
            assertEquals(3, p.getInt());
            assertEquals((1 << 20) - 8192, p.getInt());
            assertEquals(0, p.getInt());
            assertEquals(SIZE - (4 << 20), p.getInt());
            assertEquals(3, p.getInt());
            assertTrue(!p.hasRemaining());
            c.disc();
        }
    }

    @Test
    void pipelinedRequestsAllGetTheirReplies() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=16 irqmode=2 completion_nsec=200000 submit_queues=2");
                RawClient c = RawClient.open(s.socket(), true, false)) {
            int n = 200; // more than the server keeps in flight: it must apply backpressure, not fail
            ByteBuffer all = ByteBuffer.allocate(n * (28 + 4096));
            for (int i = 0; i < n; i++) {
                all.putInt(NbdProto.REQUEST_MAGIC).putShort((short) 0).putShort((short) NbdProto.CMD_WRITE)
                        .putLong(1000 + i).putLong(i * 4096L).putInt(4096).put(pattern(4096, i));
            }
            c.send(all.flip());
            Set<Long> cookies = new HashSet<>();
            for (int i = 0; i < n; i++) {
                RawClient.Reply r = c.reply();
                assertEquals(0, r.error());
                assertTrue(cookies.add(r.cookie()), "cookie answered twice: " + r.cookie());
            }
            assertEquals(n, cookies.size());
            for (int i = 0; i < n; i++) {
                c.request(0, NbdProto.CMD_READ, 5000 + i, i * 4096L, 4096, null);
            }
            cookies.clear();
            for (int i = 0; i < n; i++) {
                RawClient.Reply r = c.reply();
                int idx = (int) (r.cookie() - 5000);
                assertArrayEquals(pattern(4096, idx), r.data(), "read " + idx);
                cookies.add(r.cookie());
            }
            assertEquals(n, cookies.size());
            c.disc();
            assertTrue(c.atEof());
        }
    }

    @Test
    void aClientThatReadsItsRepliesLateGetsThemAll() throws Exception {
        // 48 reads of 1 MiB: 48 MiB of replies, far more than a socket buffer holds. The server
        // waits for the socket to drain (and stops reading at its in-flight limits) rather than fail.
        try (Served s = Served.start("memory_backed=1 size=64 irqmode=1");
                RawClient c = RawClient.open(s.socket(), true, false)) {
            for (int i = 0; i < 48; i++) {
                assertEquals(0, c.write(i, i * (1L << 20), pattern(1 << 20, i)).error());
            }
            for (int i = 0; i < 48; i++) {
                c.request(0, NbdProto.CMD_READ, 100 + i, i * (1L << 20), 1 << 20, null);
            }
            Thread.sleep(300); // not reading: the server's writes fill the socket and wait
            Set<Long> got = new HashSet<>();
            for (int i = 0; i < 48; i++) {
                RawClient.Reply r = c.reply();
                assertEquals(0, r.error());
                int idx = (int) (r.cookie() - 100);
                assertArrayEquals(pattern(1 << 20, idx), r.data(), "read " + idx);
                got.add(r.cookie());
            }
            assertEquals(48, got.size());
            c.disc();
            assertTrue(c.atEof());
        }
    }

    @Test
    void discEndsTheSessionAndLaterCommandsAreNotServed() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=16 irqmode=2 completion_nsec=50000000");
                RawClient c = RawClient.open(s.socket(), false, false)) {
            // A slow read in flight, DISC, then a command after DISC, all in one packet.
            ByteBuffer b = ByteBuffer.allocate(3 * 28);
            b.putInt(NbdProto.REQUEST_MAGIC).putShort((short) 0).putShort((short) NbdProto.CMD_READ).putLong(1)
                    .putLong(0).putInt(4096);
            b.putInt(NbdProto.REQUEST_MAGIC).putShort((short) 0).putShort((short) NbdProto.CMD_DISC).putLong(2)
                    .putLong(0).putInt(0);
            b.putInt(NbdProto.REQUEST_MAGIC).putShort((short) 0).putShort((short) NbdProto.CMD_READ).putLong(3)
                    .putLong(0).putInt(4096);
            c.send(b.flip());
            // The read before DISC is answered (in-flight requests finish), nothing after it.
            c.request(0, NbdProto.CMD_READ, 4, 0, 512, null); // and another one later
            ByteBuffer h = c.readN(16); // the simple reply to cookie 1, then its 4096 bytes of data
            assertEquals(NbdProto.SIMPLE_REPLY_MAGIC, h.getInt());
            assertEquals(0, h.getInt());
            assertEquals(1, h.getLong());
            c.readN(4096);
            assertTrue(c.atEof(), "nothing is answered after DISC");
            s.assertIdle();
        }
    }

    @Test
    void wrongRequestMagicClosesOnlyThatConnection() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=16")) {
            try (RawClient bad = RawClient.open(s.socket(), true, false);
                    RawClient good = RawClient.open(s.socket(), true, false)) {
                bad.request(0xdeadbeef, 0, NbdProto.CMD_READ, 1, 0, 512, null);
                assertTrue(bad.atEof());
                assertEquals(0, good.write(1, 0, new byte[512]).error());
                assertEquals(0, good.read(2, 0, 512).error());
                good.disc();
            }
            s.assertIdle();
        }
    }

    @Test
    void clientsThatVanishMidRequestOrWithIoInFlightLeaveNothingBehind() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=16 irqmode=2 completion_nsec=100000000 submit_queues=2")) {
            // 1. half a WRITE payload, then gone.
            try (RawClient c = RawClient.open(s.socket(), true, false)) {
                ByteBuffer b = ByteBuffer.allocate(28 + 2048);
                b.putInt(NbdProto.REQUEST_MAGIC).putShort((short) 0).putShort((short) NbdProto.CMD_WRITE).putLong(1)
                        .putLong(0).putInt(4096);
                c.send(b.position(28 + 2048).flip());
            }
            // 2. half a request header.
            try (RawClient c = RawClient.open(s.socket(), true, false)) {
                c.send(new byte[] {0x25, 0x60, (byte) 0x95, 0x13, 0, 0});
            }
            // 3. 32 slow reads in flight (100 ms each), then gone without reading the replies.
            try (RawClient c = RawClient.open(s.socket(), true, false)) {
                for (int i = 0; i < 32; i++) {
                    c.request(0, NbdProto.CMD_READ, i, i * 65536L, 65536, null);
                }
                Thread.sleep(20); // let the server submit them
            }
            s.assertIdle(); // waits for the server to finish the in-flight I/O and close the queue
            // Everything still works.
            try (RawClient c = RawClient.open(s.socket(), true, false)) {
                byte[] d = pattern(4096, 9);
                assertEquals(0, c.write(1, 0, d).error());
                assertArrayEquals(d, c.read(2, 0, 4096).data());
                c.disc();
            }
            s.assertIdle();
        }
    }

    @Test
    void stopWaitsForInFlightIoAndAnswersIt() throws Exception {
        Served s = Served.start("memory_backed=1 size=16 irqmode=2 completion_nsec=200000000", DriverKind.SAFE,
                Ownership.DEBUG, "", false);
        try (RawClient c = RawClient.open(s.socket(), true, false)) {
            for (int i = 0; i < 8; i++) {
                c.request(0, NbdProto.CMD_READ, i, i * 4096L, 4096, null);
            }
            // The server decodes in order: once the FLUSH (no cache: completed at once) is answered,
            // the 8 reads are submitted and in flight (200 ms each).
            c.request(0, NbdProto.CMD_FLUSH, 99, 0, 0, null);
            RawClient.Reply flush = c.reply();
            assertEquals(99, flush.cookie());
            assertEquals(0, flush.error());
            Thread stopper = new Thread(() -> s.server.stop(java.time.Duration.ofSeconds(10)));
            stopper.start();
            Set<Long> got = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                RawClient.Reply r = c.reply();
                assertEquals(0, r.error(), "in-flight reads complete normally during shutdown");
                got.add(r.cookie());
            }
            assertEquals(8, got.size());
            assertTrue(c.atEof(), "then the server closes the connection");
            stopper.join();
        } finally {
            s.close(); // asserts: no tag held, and the debug-mode close report names no leaked request
        }
    }

    @Test
    void manyConnectionsAtOnce() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=16 irqmode=1 submit_queues=2 hw_queue_depth=8")) {
            int n = 8;
            Thread[] ts = new Thread[n];
            Throwable[] errs = new Throwable[n];
            for (int t = 0; t < n; t++) {
                int id = t;
                ts[t] = new Thread(() -> {
                    try (RawClient c = RawClient.open(s.socket(), id % 2 == 0, false)) {
                        long base = id * (2L << 20);
                        for (int i = 0; i < 50; i++) {
                            byte[] d = pattern(8192, id * 1000 + i);
                            assertEquals(0, c.write(i, base + i * 8192L, d).error());
                        }
                        for (int i = 0; i < 50; i++) {
                            assertArrayEquals(pattern(8192, id * 1000 + i),
                                    c.read(100 + i, base + i * 8192L, 8192).data());
                        }
                        c.disc();
                    } catch (Throwable e) {
                        errs[id] = e;
                    }
                });
                ts[t].start();
            }
            for (int t = 0; t < n; t++) {
                ts[t].join();
                if (errs[t] != null) {
                    throw new AssertionError("connection " + t + " failed", errs[t]);
                }
            }
            s.assertIdle();
        }
    }
}
