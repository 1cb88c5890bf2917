package com.example.filedisk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.GenDisk;
import jblk.nbd.NbdExport;
import jblk.nbd.NbdServer;
import jblk.safety.GenDiskBuilder;
import jblk.safety.TagSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file disk served over NBD: qemu-img and nbdcopy write and read it; the file holds what they wrote. */
class FileDiskNbdTest {
    static final int BYTES = 8 << 20;

    @TempDir
    Path dir;

    @Test
    void qemuImgAndNbdcopyRoundTripThroughTheFile() throws Exception {
        assumeTrue(onPath("qemu-img") && onPath("nbdcopy"),
                "qemu-img and nbdcopy are needed (apt-get install qemu-utils libnbd-bin)");
        Path backing = dir.resolve("disk.img");
        Path random = dir.resolve("random.img");
        Path copy = dir.resolve("copy.img");
        byte[] data = new byte[BYTES];
        new Random(16).nextBytes(data);
        Files.write(random, data);

        FileDisk driver = new FileDisk(backing, BYTES);
        TagSet<Void, Void> set = TagSet.builder(driver).nrHwQueues(2).queueDepth(32).build();
        GenDisk disk = new GenDiskBuilder().capacitySectors(BYTES >> 9).writeCache(true)
                .maxDiscardSectors(2048).maxWriteZeroesSectors(2048).build("filedisk0", set);
        try (NbdServer server = NbdServer.unix(new NbdExport(disk, "filedisk", "a file-backed jblk disk", false),
                dir.resolve("nbd.sock"))) {
            String uri = server.uri();
            String info = run("qemu-img", "info", "--output=json", uri);
            assertTrue(info.contains("\"virtual-size\": " + BYTES), info);
            run("nbdcopy", "--flush", random.toString(), uri);
            run("nbdcopy", uri, copy.toString());
            run("qemu-img", "compare", "-f", "raw", "-F", "raw", random.toString(), uri);
        } finally {
            disk.close();
            set.close();
            driver.close();
        }
        assertArrayEquals(data, Files.readAllBytes(copy), "nbdcopy read back what it wrote");
        assertArrayEquals(data, Files.readAllBytes(backing), "the file holds what was written over NBD");
        assertEquals(0, disk.closeReport().leaked().size());
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
