package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throws malformed handshakes and requests (seeded random streams: wrong magics and flags, bogus
 * option numbers and lengths, truncated messages, out-of-range, misaligned and oversized requests,
 * commands after DISC) at the server over raw sockets while a good client keeps writing and
 * verifying its own region; then checks that every fuzz connection was closed by the server, no
 * tag is held, no connection died of a server bug, and a good client (and nbdinfo) still works.
 */
@Timeout(120)
class FuzzTest {
    private static final int ITERATIONS = 400;
    private static final long SEED = 0x6e6264L;
    /** Fuzz writes stay below this offset (valid ones, that is); the good client owns the rest. */
    private static final long FUZZ_LIMIT = 8 << 20;
    private static final int DISK = 16 << 20;

    @Test
    void malformedInputNeverHurtsTheServerOrOtherClients() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=16 discard=1 irqmode=1 submit_queues=2")) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> goodFailure = new AtomicReference<>();
            long[] goodOps = new long[1];
            Thread good = new Thread(() -> {
                try (RawClient c = RawClient.open(s.socket(), true, true)) {
                    Random r = new Random(1);
                    long cookie = 0;
                    while (!stop.get()) {
                        long off = FUZZ_LIMIT + r.nextInt((int) ((DISK - FUZZ_LIMIT) / 4096)) * 4096L;
                        byte[] d = new byte[4096];
                        r.nextBytes(d);
                        assertEquals(0, c.write(cookie++, off, d).error());
                        RawClient.Reply rd = c.read(cookie++, off, 4096);
                        assertEquals(0, rd.error());
                        assertArrayEquals(d, rd.data(), "good client's data at " + off);
                        goodOps[0]++;
                        Thread.sleep(1); // keep working, without starving the fuzzing of CPU
                    }
                    c.disc();
                } catch (Throwable t) {
                    goodFailure.set(t);
                }
            }, "good-client");
            good.start();
            for (int i = 0; i < ITERATIONS; i++) {
                long seed = SEED + i;
                Random r = new Random(seed);
                byte[] stream = r.nextBoolean() ? handshakeFuzz(r) : transmissionFuzz(r);
                feed(s, stream, seed);
            }
            stop.set(true);
            good.join();
            if (goodFailure.get() != null) {
                throw new AssertionError("the good client failed during the fuzzing", goodFailure.get());
            }
            assertTrue(goodOps[0] > 0, "the good client made progress");
            s.assertIdle();
            assertEquals(0, s.server.internalErrors(), "a connection died of a server bug");
            // A good client after the storm: nbdinfo, and data written and read back.
            if (Tools.find("nbdinfo") != null) {
                String size = Tools.run(Duration.ofSeconds(30), "nbdinfo", "--size", s.uri()).ok().out().trim();
                assertEquals(String.valueOf(DISK), size);
            }
            try (RawClient c = RawClient.open(s.socket(), false, false)) {
                byte[] d = new byte[65536];
                new Random(5).nextBytes(d);
                assertEquals(0, c.write(1, 1 << 20, d).error());
                assertArrayEquals(d, c.read(2, 1 << 20, d.length).data());
                c.disc();
                assertTrue(c.atEof());
            }
            s.assertIdle();
        }
    }

    /** Sends {@code stream}, half-closes, and reads until the server closes (fails after 10 s). */
    private static void feed(Served s, byte[] stream, long seed) throws Exception {
        try (RawClient c = RawClient.connect(s.socket())) {
            CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> {
                long n = 0;
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 16);
                try {
                    while (true) {
                        b.clear();
                        int k = c.ch.read(b);
                        if (k < 0) {
                            return n;
                        }
                        n += k;
                    }
                } catch (IOException e) {
                    return n; // reset by the server: closed too
                }
            });
            try {
                c.send(ByteBuffer.wrap(stream));
                c.ch.shutdownOutput();
            } catch (IOException e) {
                // the server hung up first (a protocol violation): fine
            }
            try {
                drained.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("seed " + seed
                        + ": the server did not close the connection within 10 s; stream "
                        + HexFormat.of().formatHex(stream, 0, Math.min(stream.length, 512)));
            }
        }
    }

    // ---- generators ----------------------------------------------------------------------------

    private static byte[] handshakeFuzz(Random r) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bo);
        o.writeInt(r.nextInt(10) == 0 ? r.nextInt() : 1 + r.nextInt(3) / 2 * 2); // mostly 1 or 3
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            option(r, o);
        }
        byte[] b = bo.toByteArray();
        mutate(r, b, 0, b.length);
        return truncate(r, b);
    }

    private static void option(Random r, DataOutputStream o) throws IOException {
        int kind = r.nextInt(11);
        long magic = kind == 7 ? r.nextLong() : NbdProto.IHAVEOPT;
        byte[] data;
        int opt;
        switch (kind) {
            case 0:
                opt = NbdProto.OPT_GO;
                data = RawClient.goData(r.nextBoolean() ? "" : randomString(r), randomShorts(r));
                break;
            case 1:
                opt = NbdProto.OPT_STRUCTURED_REPLY;
                data = r.nextInt(4) == 0 ? randomBytes(r, 3) : new byte[0];
                break;
            case 2:
                opt = NbdProto.OPT_LIST;
                data = r.nextInt(4) == 0 ? randomBytes(r, 5) : new byte[0];
                break;
            case 3:
                opt = NbdProto.OPT_INFO;
                data = RawClient.goData(randomString(r), randomShorts(r));
                break;
            case 4:
                opt = r.nextBoolean() ? NbdProto.OPT_SET_META_CONTEXT : NbdProto.OPT_LIST_META_CONTEXT;
                data = metaData(r);
                break;
            case 5:
                opt = r.nextInt(20) == 0 ? r.nextInt() : r.nextInt(16);
                data = randomBytes(r, r.nextInt(64));
                break;
            case 6:
                opt = NbdProto.OPT_EXPORT_NAME;
                data = (r.nextBoolean() ? "" : randomString(r)).getBytes(StandardCharsets.UTF_8);
                break;
            case 8: {
                opt = r.nextInt(12);
                data = randomBytes(r, r.nextInt(16));
                o.writeLong(magic);
                o.writeInt(opt);
                o.writeInt(r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(1 << 17)); // lies about its length
                o.write(data);
                return;
            }
            case 9:
                opt = NbdProto.OPT_ABORT;
                data = new byte[0];
                break;
            default:
                opt = r.nextInt(12);
                data = randomBytes(r, r.nextInt(32));
        }
        o.writeLong(magic);
        o.writeInt(opt);
        o.writeInt(data.length);
        o.write(data);
    }

    private static byte[] metaData(Random r) {
        ByteBuffer b = ByteBuffer.allocate(512);
        byte[] name = r.nextInt(3) == 0 ? randomString(r).getBytes(StandardCharsets.UTF_8) : new byte[0];
        b.putInt(r.nextInt(8) == 0 ? r.nextInt() : name.length).put(name);
        int nq = r.nextInt(4);
        b.putInt(r.nextInt(8) == 0 ? r.nextInt() : nq);
        String[] pool = {"base:allocation", "base:", "x-a:b", "nocolon", "qemu:dirty-bitmap:x", ""};
        for (int i = 0; i < nq; i++) {
            byte[] q = pool[r.nextInt(pool.length)].getBytes(StandardCharsets.UTF_8);
            b.putInt(r.nextInt(8) == 0 ? r.nextInt(1000) : q.length).put(q);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static byte[] transmissionFuzz(Random r) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(bo);
        o.writeInt(3);
        boolean sr = r.nextBoolean();
        if (sr) {
            o.writeLong(NbdProto.IHAVEOPT);
            o.writeInt(NbdProto.OPT_STRUCTURED_REPLY);
            o.writeInt(0);
            if (r.nextBoolean()) {
                byte[] q = RawClient.metaQuery("", "base:allocation");
                o.writeLong(NbdProto.IHAVEOPT);
                o.writeInt(NbdProto.OPT_SET_META_CONTEXT);
                o.writeInt(q.length);
                o.write(q);
            }
        }
        byte[] go = RawClient.goData("", NbdProto.INFO_BLOCK_SIZE);
        o.writeLong(NbdProto.IHAVEOPT);
        o.writeInt(NbdProto.OPT_GO);
        o.writeInt(go.length);
        o.write(go);
        int start = bo.size();
        int n = 1 + r.nextInt(40);
        for (int i = 0; i < n; i++) {
            int at = bo.size();
            int type = r.nextInt(12) == 0 ? r.nextInt(1 << 16) : r.nextInt(9);
            int flags = r.nextInt(6) == 0 ? r.nextInt(1 << 16) : r.nextInt(6) == 0 ? 1 << r.nextInt(6) : 0;
            long[] lengths = {0, 1, 511, 512, 4096, 65536, 1 << 20, 40 << 20, 0xFFFF_FFFFL};
            long len = lengths[r.nextInt(lengths.length)];
            long off;
            switch (r.nextInt(5)) {
                case 0:
                    off = r.nextLong();
                    break;
                case 1:
                    off = DISK - r.nextInt(3) * 512L;
                    break;
                case 2:
                    off = r.nextInt(7 << 20) | 1; // misaligned
                    break;
                default:
                    off = r.nextInt((7 << 20) / 512) * 512L;
            }
            o.writeInt(NbdProto.REQUEST_MAGIC);
            o.writeShort(flags);
            o.writeShort(type);
            o.writeLong(r.nextLong());
            o.writeLong(off);
            o.writeInt((int) len);
            if (type == NbdProto.CMD_WRITE) {
                // Usually the whole payload; sometimes less (the client then vanishes mid-request).
                long send = r.nextInt(4) == 0 ? Math.min(len, r.nextInt(5000)) : Math.min(len, 1 << 20);
                o.write(randomBytes(r, (int) send));
                if (send < len) {
                    break;
                }
            }
            if (r.nextInt(10) == 0) { // break a magic, the flags or the type of this request
                byte[] b = bo.toByteArray();
                mutate(r, b, at, at + 8);
                bo.reset();
                bo.write(b);
            }
        }
        byte[] b = bo.toByteArray();
        return r.nextInt(4) == 0 ? truncate(r, b, start) : b;
    }

    private static void mutate(Random r, byte[] b, int from, int to) {
        if (to <= from || r.nextInt(3) == 0) {
            return;
        }
        int k = 1 + r.nextInt(3);
        for (int i = 0; i < k; i++) {
            b[from + r.nextInt(to - from)] ^= (byte) (1 + r.nextInt(255));
        }
    }

    private static byte[] truncate(Random r, byte[] b) {
        return truncate(r, b, 0);
    }

    private static byte[] truncate(Random r, byte[] b, int min) {
        if (b.length <= min || r.nextInt(4) != 0) {
            return b;
        }
        return java.util.Arrays.copyOf(b, min + r.nextInt(b.length - min));
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String randomString(Random r) {
        String[] pool = {"", "disk", "x", "nullb0", "\u00e9t\u00e9", "a/b", "0123456789abcdef"};
        return pool[r.nextInt(pool.length)];
    }

    private static int[] randomShorts(Random r) {
        int[] s = new int[r.nextInt(5)];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(6) == 0 ? r.nextInt(1 << 16) : r.nextInt(5);
        }
        return s;
    }
}
