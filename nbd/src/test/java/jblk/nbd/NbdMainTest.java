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
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:MaxDirectMemorySize=256m");
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
            assertTrue(e.contains("nullb0: closed clean, no request left in flight"), "debug mode prints the close report:\n" + e);
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
        assertTrue(own.err().contains("ownership mode 'maybe' is invalid: allowed off, checked, debug"), own.toString());
        Tools.Result spin = cli("--socket", "/nonexistent/s", "--spin-us", "-1");
        assertEquals(2, spin.exit(), spin.toString());
        assertTrue(spin.err().contains("spin time -1 us is out of range: allowed 0..10000 us"), spin.toString());
        Tools.Result path = cli("--socket", "/nonexistent/dir/s", "--nullb", "size=4");
        assertEquals(2, path.exit(), path.toString());
        assertTrue(path.err().contains("cannot listen on Unix socket /nonexistent/dir/s"), path.toString());
    }
}
