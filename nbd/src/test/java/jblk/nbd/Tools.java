package jblk.nbd;

import static org.junit.jupiter.api.Assertions.fail;

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

    /** Fails the test with the Debian package to install when {@code tool} is not on PATH. */
    static void require(String tool, String debianPackage) {
        if (find(tool) == null) {
            fail(tool + " is not installed (not on PATH): install the Debian package " + debianPackage
                    + " (CI's .ci/run installs fio, nbdkit, libnbd-bin and qemu-utils)");
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
