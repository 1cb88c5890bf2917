package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jblk.blockcore.CloseReport;
import jblk.blockcore.GenDisk;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.safety.Ownership;

/**
 * A null_blk disk served in-process on a temporary Unix socket, for one test. Closing it stops the
 * server, checks that no connection is left and no tag is held, and closes the disk, checking that
 * the driver ended every request.
 */
final class Served implements AutoCloseable {
    final NullBlkModule module;
    final GenDisk disk;
    final NbdServer server;
    final Path dir;

    private Served(NullBlkModule module, NbdServer server, Path dir) {
        this.module = module;
        this.disk = module.device(0).disk();
        this.server = server;
        this.dir = dir;
    }

    static Served start(String nullb) throws IOException {
        return start(nullb, DriverKind.SAFE, Ownership.CHECKED, "", false);
    }

    static Served start(String nullb, DriverKind driver, Ownership own, String name,
            boolean readOnly) throws IOException {
        return start(nullb, driver, own, name, readOnly, Duration.ofSeconds(60));
    }

    static Served start(String nullb, DriverKind driver, Ownership own, String name, boolean readOnly,
            Duration handshakeTimeout) throws IOException {
        return start(nullb, driver, own, name, readOnly,
                NbdServer.Options.defaults().withHandshakeTimeout(handshakeTimeout));
    }

    static Served start(String nullb, DriverKind driver, Ownership own, String name, boolean readOnly,
            NbdServer.Options options) throws IOException {
        Path dir = Files.createTempDirectory("jblk-nbd-test");
        NullBlkModule m = NullBlkModule.load(nullb, driver, own);
        try {
            GenDisk d = m.device(0).disk();
            NbdExport e = new NbdExport(d, name, "test disk " + d.name(), readOnly);
            NbdServer s = NbdServer.unix(e, dir.resolve("nbd.sock"), options);
            return new Served(m, s, dir);
        } catch (IOException | RuntimeException ex) {
            m.close();
            throw ex;
        }
    }

    String uri() {
        return server.uri();
    }

    Path socket() {
        return server.socketPath();
    }

    /** Tags held on every hardware queue: the sum of debugfs "busy=" lines of hctx*&#47;tags. */
    int busyTags() {
        int busy = 0;
        for (Map.Entry<String, String> e : disk.debugfs().entrySet()) {
            if (e.getKey().endsWith("/tags")) {
                for (String line : e.getValue().split("\n")) {
                    if (line.startsWith("busy=")) {
                        busy += Integer.parseInt(line.substring(5).trim());
                    }
                }
            }
        }
        return busy;
    }

    /** Waits until every client connection closed and no tag is held (both are eventually true). */
    void assertIdle() throws InterruptedException {
        assertTrue(server.awaitIdle(Duration.ofSeconds(10)), "connections still open: " + server.activeConnections());
        long end = System.nanoTime() + 5_000_000_000L;
        while (busyTags() != 0 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals(0, busyTags(), "tags still held after every client left:\n" + disk.debugInfo());
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop(Duration.ofSeconds(10));
            assertEquals(0, server.activeConnections(), "connections left after stop");
            // A tag is freed just after its bio's callback returns, on the completing thread: allow
            // that moment, then insist.
            long end = System.nanoTime() + 5_000_000_000L;
            while (busyTags() != 0 && System.nanoTime() < end) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
            assertEquals(0, busyTags(), "tags held after the server stopped:\n" + disk.debugInfo());
        } finally {
            module.close();
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        CloseReport r = disk.closeReport();
        assertTrue(r.leaked().isEmpty(), "the driver never ended some requests: " + r);
    }
}
