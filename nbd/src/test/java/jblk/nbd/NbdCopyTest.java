package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** nbdcopy in and out, and qemu-img compare, on a random 64 MiB image. */
@Timeout(120)
class NbdCopyTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final int SIZE = 64 << 20;

    @TempDir
    Path tmp;

    @BeforeAll
    static void tools() {
        Tools.require("nbdcopy", "libnbd-bin");
        Tools.require("qemu-img", "qemu-utils");
    }

    private static byte[] sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return md.digest();
    }

    private Path randomImage(long seed) throws IOException {
        Path img = tmp.resolve("random.img");
        Random r = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(img)) {
            for (int i = 0; i < SIZE / chunk.length; i++) {
                r.nextBytes(chunk);
                if (i == 7) {
                    java.util.Arrays.fill(chunk, (byte) 0); // a zero MiB: nbdcopy may zero or trim it
                }
                out.write(chunk);
            }
        }
        return img;
    }

    @Test
    void copyInAndOutGivesIdenticalChecksums() throws Exception {
        Path img = randomImage(7);
        try (Served s = Served.start("memory_backed=1 size=64 discard=1 irqmode=1 submit_queues=2")) {
            // Several connections (multi-conn) and requests in flight on each.
            Tools.run(T, "nbdcopy", "--flush", "-C", "4", img.toString(), s.uri()).ok();
            Path back = tmp.resolve("back.img");
            Tools.run(T, "nbdcopy", s.uri(), back.toString()).ok();
            assertEquals(SIZE, Files.size(back));
            assertArrayEquals(sha256(img), sha256(back), "image read back differs from the one written");

            Tools.Result same = Tools.run(T, "qemu-img", "compare", "-f", "raw", "-F", "raw", img.toString(), s.uri());
            assertEquals(0, same.exit(), same.toString());
            assertTrue(same.out().contains("Images are identical"), same.toString());

            // Change one byte locally: qemu-img must see the difference through the server.
            try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
                f.seek(12345678);
                int b = f.read();
                f.seek(12345678);
                f.write(b ^ 0xff);
            }
            Tools.Result diff = Tools.run(T, "qemu-img", "compare", "-f", "raw", "-F", "raw", img.toString(), s.uri());
            assertEquals(1, diff.exit(), diff.toString());
            // qemu-img reports the 512-byte sector holding the changed byte.
            assertTrue(diff.out().contains("Content mismatch at offset " + 12345678 / 512 * 512), diff.toString());
            s.assertIdle();
        }
    }

    @Test
    void qemuImgConvertOverTheLegacyExportNameSyntaxAndStdio() throws Exception {
        Path img = randomImage(11);
        try (Served s = Served.start("memory_backed=1 size=64 irqmode=0")) {
            // qemu's own syntax (nbd:unix:PATH) and a streamed copy (nbdcopy from stdin).
            Tools.run(T, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", img.toString(),
                    "nbd:unix:" + s.socket()).ok();
            Tools.Result cmp = Tools.run(T, "qemu-img", "compare", "-f", "raw", "-F", "raw", img.toString(), s.uri());
            assertEquals(0, cmp.exit(), cmp.toString());
            Path out = tmp.resolve("out.img");
            Tools.run(T, null, List.of("sh", "-c", "nbdcopy '" + s.uri() + "' - > '" + out + "'")).ok();
            assertArrayEquals(sha256(img), sha256(out));
        }
    }
}
