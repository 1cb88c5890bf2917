package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jblk.blockcore.DirectMemory;
import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17 items 1, 3, 4 and 5: connection buffers come from a bounded, reused pool of their own;
 * a request that finds none is answered ENOMEM and its connection goes on; a connection that finds
 * none, or finds the connection limit reached, is closed at once and the server keeps accepting.
 */
@Timeout(120)
class ServerMemoryTest {
    private static final String DISK = "memory_backed=1 size=64 irqmode=0";

    private static Served serve(NbdServer.Options o) throws IOException {
        return Served.start(DISK, DriverKind.SAFE, Ownership.CHECKED, "", false, o);
    }

    private static byte[] pattern(int seed, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    /**
     * Item 3: 40 reads and 10 writes of 8 MiB reuse one pooled buffer; before, each allocated 8 MiB of direct memory.
     */
    @Test
    void largeRequestsReuseTheirBuffersSoDirectMemoryStaysFlat() throws Exception {
        try (Served s = Served.start(DISK); RawClient c = RawClient.open(s.socket(), true, false)) {
            byte[] big = pattern(3, 8 << 20);
            for (int i = 0; i < 4; i++) { // the disk's pages exist before the measurement
                assertEquals(0, c.write(1, i * (8L << 20), big).error());
            }
            assertArrayEquals(big, c.read(2, 0, 8 << 20).data());
            long before = DirectMemory.used();
            for (int i = 0; i < 40; i++) {
                RawClient.Reply r = c.read(10 + i, (i % 4) * (8L << 20), 8 << 20);
                assertEquals(0, r.error(), r.message());
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(0, c.write(100 + i, (i % 4) * (8L << 20), big).error());
            }
            long grew = DirectMemory.used() - before;
            assertTrue(grew < (16L << 20), "direct memory grew by " + (grew >> 20) + " MiB over 50 requests of 8 MiB");
            assertTrue(s.server.bufferBytesReserved() <= (16L << 20) + NbdConnection.INPUT_BUFFER,
                    "buffers kept: " + s.server.bufferBytesReserved());
        }
    }

    /** Item 5: no buffer for a request: ENOMEM with a message, a WRITE's payload skipped, the connection serves on. */
    @Test
    void aRequestWithoutBufferMemoryGetsEnomemAndTheConnectionGoesOn() throws Exception {
        long budget = NbdConnection.INPUT_BUFFER + (1L << 20);
        try (Served s = serve(NbdServer.Options.defaults().withBufferMemory(budget));
                RawClient c = RawClient.open(s.socket(), true, false)) {
            byte[] small = pattern(1, 4096);
            assertEquals(0, c.write(1, 0, small).error());
            RawClient.Reply read = c.read(2, 0, 2 << 20);
            assertEquals(NbdProto.ENOMEM, read.error());
            assertTrue(read.message().contains("no buffer memory") && read.message().contains("--buffer-memory"),
                    read.message());
            RawClient.Reply write = c.write(3, 1 << 20, pattern(2, 2 << 20));
            assertEquals(NbdProto.ENOMEM, write.error(), write.message());
            // The stream stayed in sync (the refused payload was consumed) and the data path works.
            assertEquals(0, c.write(4, 8192, small).error());
            assertArrayEquals(small, c.read(5, 8192, 4096).data());
            assertArrayEquals(new byte[4096], c.read(6, 1 << 20, 4096).data(), "the refused WRITE wrote nothing");
            assertEquals(0, s.server.internalErrors());
            assertTrue(s.server.bufferBytesReserved() <= budget);
            c.disc();
            assertTrue(c.atEof());
        }
    }

    /** Item 4: past --max-connections a connection is closed at once; the others serve; a freed place is reused. */
    @Test
    void theConnectionLimitTurnsTheExtraConnectionAwayAndTheServerKeepsServing() throws Exception {
        try (Served s = serve(NbdServer.Options.defaults().withMaxConnections(2))) {
            RawClient a = RawClient.open(s.socket(), true, false);
            try (RawClient b = RawClient.open(s.socket(), false, false)) {
                assertTurnedAway(s);
                assertEquals(1, s.server.turnedAwayConnections());
                assertEquals(0, a.write(1, 0, pattern(5, 4096)).error());
                assertEquals(0, b.read(1, 0, 4096).error());
            }
            waitFor(s, 1);
            try (RawClient c = RawClient.open(s.socket(), true, false)) {
                assertArrayEquals(pattern(5, 4096), c.read(1, 0, 4096).data());
            }
            a.close();
            s.assertIdle();
        }
    }

    /**
     * Item 1 in-process: a connection the buffer memory cannot take is closed at once (before, the
     * accept thread died of the OutOfMemoryError and every later client hung); once memory frees,
     * the next connection is served.
     */
    @Test
    void aConnectionWithoutBufferMemoryIsTurnedAwayAndTheServerKeepsAccepting() throws Exception {
        long budget = NbdConnection.INPUT_BUFFER + 4096;
        try (Served s = serve(NbdServer.Options.defaults().withBufferMemory(budget))) {
            RawClient a = RawClient.open(s.socket(), true, false);
            assertEquals(0, a.write(1, 0, pattern(7, 4096)).error());
            for (int i = 0; i < 3; i++) {
                assertTurnedAway(s);
            }
            assertEquals(3, s.server.turnedAwayConnections());
            a.close();
            waitFor(s, 0);
            try (RawClient c = RawClient.open(s.socket(), true, false)) {
                assertArrayEquals(pattern(7, 4096), c.read(1, 0, 4096).data());
            }
            assertEquals(0, s.server.internalErrors());
        }
    }

    /** Item 6: a burst of 200 non-blocking connects all succeed (before: the backlog of 50 gave EAGAIN). */
    @Test
    void aBurstOfTwoHundredConnectsIsAllAccepted() throws Exception {
        try (Served s = serve(NbdServer.Options.defaults().withMaxConnections(256))) {
            List<java.nio.channels.SocketChannel> chans = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                            java.net.StandardProtocolFamily.UNIX);
                    chans.add(ch);
                    ch.configureBlocking(false);
                    try {
                        ch.connect(java.net.UnixDomainSocketAddress.of(s.socket()));
                    } catch (IOException e) {
                        failed.add(i + ": " + e.getMessage());
                    }
                }
            } finally {
                for (java.nio.channels.SocketChannel ch : chans) {
                    ch.close();
                }
            }
            assertTrue(failed.isEmpty(), failed.size() + " of 200 connects failed, the first: "
                    + (failed.isEmpty() ? "" : failed.get(0)));
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.server.acceptedConnections() + s.server.turnedAwayConnections() < 200 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(200, s.server.acceptedConnections(), "every connect reached the server");
            s.assertIdle();
        }
    }

    private static void assertTurnedAway(Served s) throws IOException {
        try (RawClient x = RawClient.connect(s.socket())) {
            try {
                x.greeting();
                throw new AssertionError("the extra connection got a greeting instead of being closed");
            } catch (EOFException | java.net.SocketException expected) {
                // closed at once
            }
        }
    }

    private static void waitFor(Served s, int open) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (s.server.activeConnections() > open && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(open, s.server.activeConnections());
    }
}
