package jblk.nbd;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real NBD clients (nbdinfo, nbdcopy, qemu-img, qemu-io, fio) for the tests. */
final class Tools {
    record Result(List<String> cmd, int exit, String out, String err) {
        Result ok() {
            if (exit != 0) {
                fail(String.join(" ", cmd) + " failed with exit " + exit + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", cmd) + " -> " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private Tools() {
    }

    /** Tools found missing so far: each is reported once per test JVM. */
    private static final java.util.Set<String> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Skips the test (a JUnit assumption) when {@code tool} is not on PATH, and says so once per
     * missing tool, on stderr: which tool, which Debian package has it, and that {@code ./jblk test}
     * installs it. The run's "Skipped" count and the skip reasons in the reports tell the rest.
     */
    static void require(String tool, String debianPackage) {
        if (find(tool) == null) {
            String why = tool + " is not installed (not on PATH): tests that drive it are skipped; install the Debian "
                    + "package " + debianPackage
                    + ", or run ./jblk test, which installs fio, nbdkit, libnbd-bin and qemu-utils";
            if (REPORTED.add(tool)) {
                System.err.println("jblk nbd tests: SKIPPED: " + why);
            }
            Assumptions.assumeTrue(false, why);
        }
    }

    static Path find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static Result run(Duration timeout, String... cmd) throws IOException, InterruptedException {
        return run(timeout, null, Arrays.asList(cmd));
    }

    /** Runs {@code cmd} (in {@code dir} if given), killing it after {@code timeout}. */
    static Result run(Duration timeout, Path dir, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            fail(String.join(" ", cmd) + " did not finish within " + timeout + "\nstdout: " + out.join()
                    + "\nstderr: " + err.join());
        }
        return new Result(cmd, p.exitValue(), out.join(), err.join());
    }

    static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
    }
}
