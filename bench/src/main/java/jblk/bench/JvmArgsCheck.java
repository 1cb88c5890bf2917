package jblk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code compare --jvm-args}: asks the JVM once, before any worker starts, whether it accepts the
 * options ({@code java OPTIONS -version}), so a typo is one line naming the option instead of a
 * dead worker and a stack trace minutes later.
 */
final class JvmArgsCheck {
    private JvmArgsCheck() {
    }

    /** Throws IllegalArgumentException with the JVM's own complaint when it refuses {@code args}. */
    static void check(String option, String given, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : args) {
            // A flight recording would start (and write its file) in the probe too: its syntax is checked by the
            // worker.
            if (!a.startsWith("-XX:StartFlightRecording")) {
                cmd.add(a.replace("{variant}", "check").replace("{workload}", "check"));
            }
        }
        cmd.add("-version");
        String complaint;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException(option + "=" + given
                        + ": java -version with them did not finish in 60 s");
            }
            if (p.exitValue() == 0) {
                return;
            }
            complaint = firstLine(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            complaint = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            complaint = "interrupted";
        }
        throw new IllegalArgumentException(option + "=" + given + " is refused by the JVM: " + complaint
                + " (allowed: options this java accepts)");
    }

    private static String firstLine(String s) {
        for (String l : s.split("\\R")) {
            if (!l.isBlank()) {
                return l.trim();
            }
        }
        return "exit status non-zero, no message";
    }
}
