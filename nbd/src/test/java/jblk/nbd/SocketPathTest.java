package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.safety.Ownership;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 items 2 and 8: {@code --socket PATH} removes only a stale socket file; a regular file,
 * FIFO, symbolic link or directory at PATH stays and is refused by name; a live socket is refused,
 * and probing it leaves nothing in the running server's log.
 */
@Timeout(60)
class SocketPathTest {
    private static NullBlkModule module;
    private static NbdExport export;

    @TempDir
    Path tmp;

    @BeforeAll
    static void disk() {
        module = NullBlkModule.load("memory_backed=1 size=4", DriverKind.SAFE, Ownership.CHECKED);
        export = new NbdExport(module.device(0).disk(), "", "test", false);
    }

    @AfterAll
    static void close() {
        module.close();
    }

    private void assertRefusedAndKept(Path p, String what) {
        IOException e = assertThrows(IOException.class, () -> NbdServer.unix(export, p).close());
        assertTrue(e.getMessage().contains("is " + what), e.getMessage());
        assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), p + " was removed");
    }

    @Test
    void onlyAStaleSocketFileIsEverRemoved() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "keep me");
        assertRefusedAndKept(file, "a regular file");
        assertEquals("keep me", Files.readString(file));

        Path fifo = tmp.resolve("fifo");
        Tools.run(Duration.ofSeconds(10), "mkfifo", fifo.toString()).ok();
        assertRefusedAndKept(fifo, "not a socket");

        Path link = Files.createSymbolicLink(tmp.resolve("link"), file);
        assertRefusedAndKept(link, "a symbolic link");
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nothing"));
        assertRefusedAndKept(dangling, "a symbolic link");

        Path dir = Files.createDirectory(tmp.resolve("empty-dir"));
        assertRefusedAndKept(dir, "a directory");

        // A socket file nobody listens on (a server that died) is replaced.
        Path stale = tmp.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale));
        try (NbdServer s = NbdServer.unix(export, stale);
                RawClient c = RawClient.open(s.socketPath(), false, false)) {
            assertEquals(0, c.read(1, 0, 4096).error());
        }
        assertFalse(Files.exists(stale), "the server removes its socket at exit");
    }

    /** Item 8: a second server finds the socket live and says so; the running server logs nothing about the probe. */
    @Test
    void probingALiveSocketDoesNotDisturbItsServer() throws Exception {
        Path sock = tmp.resolve("live.sock");
        PrintStream saved = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (NbdServer first = NbdServer.unix(export, sock)) {
            NbdLog.setLevel(NbdLog.Level.INFO);
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            IOException e = assertThrows(IOException.class, () -> NbdServer.unix(export, sock).close());
            assertTrue(e.getMessage().contains("live socket"), e.getMessage());
            assertTrue(first.awaitIdle(Duration.ofSeconds(10)));
            try (RawClient c = RawClient.open(sock, false, false)) {
                assertEquals(0, c.read(1, 0, 4096).error());
            }
            assertTrue(first.awaitIdle(Duration.ofSeconds(10)));
        } finally {
            System.setErr(saved);
            NbdLog.setLevel(NbdLog.parse(System.getProperty("jblk.nbd.log", "info")));
        }
        String lines = log.toString(StandardCharsets.UTF_8);
        assertFalse(lines.contains("c1 "), "the probe (connection c1) showed up in the server's log:\n" + lines);
        assertTrue(lines.contains("c2 (unix): export"), "the real client is logged as usual:\n" + lines);
    }
}
