package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./jblk nbd} as a process: serves, stops cleanly on SIGTERM, refuses bad arguments clearly. */
@Timeout(60)
class NbdMainTest {
    @TempDir
    Path tmp;

    private static List<String> java(String... args) {
        return javaWith("-XX:MaxDirectMemorySize=256m", args);
    }

    private static List<String> javaWith(String jvmOption, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(jvmOption);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("jblk.nbd.NbdMain");
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void servesThenStopsCleanlyOnSigterm() throws Exception {
        Path sock = tmp.resolve("main.sock");
        Process p = new ProcessBuilder(java("--socket", sock.toString(), "--nullb",
                "memory_backed=1 size=16 irqmode=2 completion_nsec=100000000", "--ownership", "debug",
                "--export", "d0")).start();
        CompletableFuture<String> err = Tools.drain(p.getErrorStream());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.contains("serving jblk nullb0 (16 MiB, safe driver, ownership debug)")
                    && line.contains("nbd+unix:///d0?socket=" + sock), String.valueOf(line));
            try (RawClient c = RawClient.open(sock, true, false)) {
                byte[] d = new byte[4096];
                d[100] = 7;
                assertEquals(0, c.write(1, 0, d).error());
                assertArrayEquals(d, c.read(2, 0, 4096).data());
                // Reads in flight (100 ms each) when SIGTERM arrives: they are answered before the close.
                for (int i = 0; i < 4; i++) {
                    c.request(0, NbdProto.CMD_READ, 10 + i, i * 4096L, 4096, null);
                }
                // Requests are decoded in order: the FLUSH's reply (immediate, no cache) proves the
                // reads are submitted.
                c.request(0, NbdProto.CMD_FLUSH, 99, 0, 0, null);
                assertEquals(99, c.reply().cookie());
                // SIGTERM (Process.destroy would also close our end of the server's stderr)
                Tools.run(Duration.ofSeconds(10), "kill", "-TERM", Long.toString(p.pid())).ok();
                for (int i = 0; i < 4; i++) {
                    assertEquals(0, c.reply().error());
                }
                assertTrue(c.atEof());
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server did not exit after SIGTERM");
            String e = err.get(10, TimeUnit.SECONDS);
            assertEquals(143, p.exitValue(), "exit status of a JVM ended by SIGTERM (128 + 15)\n" + e);
            assertTrue(e.contains("stopping: no new requests"), e);
            assertTrue(e.contains("nullb0: closed clean, no request left in flight"),
                    "debug mode prints the close report:\n" + e);
            assertFalse(Files.exists(sock), "socket file removed");
        } finally {
            p.destroyForcibly();
        }
    }

    /** Runs the command line in-process (nothing starts when an argument is bad); exit status and stderr. */
    private static Tools.Result cli(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = NbdMain.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Tools.Result(List.of(args), rc, "", err.toString());
    }

    @Test
    void badArgumentsAreRefusedWithAClearMessage() {
        Tools.Result port = cli("--port", "70000", "--nullb", "size=4");
        assertEquals(2, port.exit(), port.toString());
        assertTrue(port.err().contains("port 70000 is out of range: allowed 0..65535"), port.toString());
        Tools.Result both = cli("--port", "1", "--socket", "x");
        assertEquals(2, both.exit(), both.toString());
        assertTrue(both.err().contains("mutually exclusive"), both.toString());
        Tools.Result none = cli("--nullb", "size=4");
        assertEquals(2, none.exit(), none.toString());
        assertTrue(none.err().contains("Missing required argument"), none.toString());
        Tools.Result param = cli("--socket", "/nonexistent/s", "--nullb", "bogus=1");
        assertEquals(2, param.exit(), param.toString());
        assertTrue(param.err().contains("unknown null_blk parameter 'bogus'"), param.toString());
        Tools.Result own = cli("--socket", "/nonexistent/s", "--ownership", "maybe");
        assertEquals(2, own.exit(), own.toString());
        assertTrue(own.err().contains("ownership mode 'maybe' is invalid: allowed off, refcount, generation"
                + " (or checked), hpref, owned, debug"),
                own.toString());
        Tools.Result spin = cli("--socket", "/nonexistent/s", "--spin-us", "-1");
        assertEquals(2, spin.exit(), spin.toString());
        assertTrue(spin.err().contains("spin time -1 us is out of range: allowed 0..10000 us"), spin.toString());
        Tools.Result path = cli("--socket", "/nonexistent/dir/s", "--nullb", "size=4");
        assertEquals(2, path.exit(), path.toString());
        assertTrue(path.err().contains("cannot listen on Unix socket /nonexistent/dir/s"), path.toString());
    }

    /**
     * Issue 17 items 1 and 4, the reported state: a disk bigger than -XX:MaxDirectMemorySize.
     * 20 connections hold buffers, then a client fills the disk to ENOSPC: the disk still gets the
     * share the server announced (connections no longer eat it), and then 21 more connections are
     * each answered and served (before, the accept thread died of OutOfMemoryError and the 21st
     * connection was never answered).
     */
    @Test
    void aFullDiskBiggerThanDirectMemoryStillTakesNewConnections() throws Exception {
        Path sock = tmp.resolve("full.sock");
        Process p = new ProcessBuilder(javaWith("-XX:MaxDirectMemorySize=48m", "--socket", sock.toString(),
                "--nullb", "memory_backed=1 size=256 irqmode=0")).start();
        CompletableFuture<String> err = Tools.drain(p.getErrorStream());
        List<RawClient> held = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.contains("serving"), String.valueOf(line));
            for (int i = 0; i < 20; i++) {
                RawClient c = within(() -> RawClient.open(sock, true, false));
                held.add(c);
                assertEquals(0, c.read(1, 0, 64 << 10).error()); // its slot keeps a 64 KiB buffer
            }
            long written = 0;
            try (RawClient filler = RawClient.open(sock, true, false)) {
                byte[] mib = new byte[1 << 20];
                java.util.Arrays.fill(mib, (byte) 0x5a);
                while (true) {
                    RawClient.Reply r = filler.write(1, written, mib);
                    if (r.error() != 0) {
                        assertEquals(NbdProto.ENOSPC, r.error(), r.message());
                        break;
                    }
                    written += mib.length;
                    assertTrue(written < (256L << 20), "the disk never filled");
                }
                assertEquals(0, filler.read(2, 0, 4096).error(), "the full disk still reads");
            }
            for (int i = 0; i < 21; i++) {
                RawClient c = within(() -> RawClient.open(sock, false, false));
                held.add(c);
                RawClient.Reply r = within(() -> c.read(1, 0, 4096));
                assertEquals(0, r.error(), "connection " + (21 + i));
                assertEquals((byte) 0x5a, r.data()[0]);
            }
            for (RawClient c : held) {
                c.close();
            }
            held.clear();
            Tools.run(Duration.ofSeconds(10), "kill", "-TERM", Long.toString(p.pid())).ok();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String e = err.get(10, TimeUnit.SECONDS);
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("up to (\\d+) MiB for the disk's pages").matcher(e);
            assertTrue(m.find(), "the server announces its memory split:\n" + e);
            long share = Long.parseLong(m.group(1)) << 20;
            assertTrue(written >= share - (1L << 20), "the disk took " + (written >> 20) + " MiB of its "
                    + (share >> 20) + " MiB while 20 connections held buffers:\n" + e);
            assertFalse(e.contains("OutOfMemoryError") || e.contains("internal error"), e);
        } finally {
            for (RawClient c : held) {
                c.close();
            }
            p.destroyForcibly();
        }
    }

    /** Runs a client step with a deadline: a server that never answers fails the test instead of hanging it. */
    private static <T> T within(java.util.concurrent.Callable<T> step) throws Exception {
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(step);
        Thread t = new Thread(f, "client-step");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the server did not answer within 15 s", e);
        }
    }

    /** Item 7: a wildcard --bind is warned about, and the printed address is the one bound (not localhost). */
    @Test
    void everyInterfaceBindIsWarnedAboutAndPrintedAsBound() throws Exception {
        Process p = new ProcessBuilder(java("--port", "0", "--bind", "0.0.0.0", "--nullb", "memory_backed=1 size=4"))
                .start();
        CompletableFuture<String> err = Tools.drain(p.getErrorStream());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.matches(".* at nbd://0\\.0\\.0\\.0:\\d+/"), String.valueOf(line));
            Tools.run(Duration.ofSeconds(10), "kill", "-TERM", Long.toString(p.pid())).ok();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String e = err.get(10, TimeUnit.SECONDS);
            assertTrue(e.contains("warning: listening on every interface") && e.contains("without authentication"), e);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Item 11: one line per bad argument, prefixed "jblk nbd:", naming the option; no usage dump, no exception name.
     */
    @Test
    void everyBadArgumentIsOneLine() throws Exception {
        Path dir = java.nio.file.Files.createDirectory(tmp.resolve("d"));
        Tools.Result[] results = {
            cli("--nullb", "size=4"),
            cli("--port", "1", "--socket", "x"),
            cli("--socket", "/tmp/x", "--bogus"),
            cli("--port", "0", "--bind", "nosuchhost.invalid", "--nullb", "size=4"),
            cli("--socket", dir.toString(), "--nullb", "size=4"),
            cli("--socket", "", "--nullb", "size=4"),
            cli("--socket", tmp.resolve("s").toString(), "--max-connections", "0", "--nullb", "size=4"),
            cli("--socket", tmp.resolve("s").toString(), "--buffer-memory", "0", "--nullb", "size=4"),
        };
        for (Tools.Result r : results) {
            assertEquals(2, r.exit(), r.toString());
            String[] lines = r.err().strip().split("\n");
            assertEquals(1, lines.length, r.toString());
            assertTrue(lines[0].startsWith("jblk nbd: "), r.toString());
            assertFalse(lines[0].contains("Exception"), r.toString());
        }
        assertTrue(results[2].err().contains("--bogus"), results[2].toString());
        assertTrue(results[3].err().contains("--bind nosuchhost.invalid cannot be resolved"), results[3].toString());
        assertTrue(results[4].err().contains("is a directory"), results[4].toString());
        assertTrue(results[5].err().contains("is a directory"), results[5].toString());
        assertTrue(results[6].err().contains("--max-connections 0 is out of range: allowed 1..4096"),
                results[6].toString());
        assertTrue(results[7].err().contains("--buffer-memory 0 MiB is out of range: allowed 1.."),
                results[7].toString());
        assertTrue(java.nio.file.Files.isDirectory(dir), "the directory is still there");
    }
}
