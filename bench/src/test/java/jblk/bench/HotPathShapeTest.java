package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One compiled shape per worker (issue 12): after {@code compare}'s warm-up, C2 throws away none of
 * jblk's compiled code while rounds are measured. A C2 method "made not entrant" after warm-up is
 * the mode switch that made one JVM run 29 and the next 21 ops/us: a trap on a path the warm-up
 * never took (the timer arming, before {@link CompareMain#STABLE_JIT}) deoptimised the inlined
 * submit path and C2 recompiled it into another shape. The worker runs with compare's own JVM
 * options plus PrintCompilation into a log file (stdout is the worker's protocol). Without
 * STABLE_JIT this fails: {@code OperationsVTable::queueRq} / {@code SwQueue::issue} made not
 * entrant at 6.2-6.4 s, when the timer first fires.
 */
@Timeout(120)
class HotPathShapeTest {
    /** PrintCompilation: "stamp id attrs tier class::method (size) made not entrant". */
    private static final Pattern NOT_ENTRANT = Pattern.compile(
            "^\\s*(\\d+)\\s+\\d+\\s+[%sbn! ]*\\s(\\d)\\s+(jblk\\.\\S+::\\S+).*made not entrant");
    /** A C2 compile of jblk code: the log is read right only if it has some. */
    private static final Pattern C2_COMPILE = Pattern.compile(
            "^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*\\s4\\s+jblk\\.\\S+::\\S+");

    @ParameterizedTest
    @CsvSource({"off,whole", "checked,whole", "off,turns", "checked,turns"})
    void noHotPathRecompilationAfterWarmUp(String variant, String rounds, @TempDir Path dir) throws Exception {
        Path log = dir.resolve("jit.log");
        List<String> args = new ArrayList<>(CompareMain.STABLE_JIT);
        args.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintCompilation", "-XX:+LogVMOutput",
                "-XX:-DisplayVMOutput", "-XX:LogFile=" + log));
        long warmEndMs;
        String recompiled;
        try (WorkerJvm w = new WorkerJvm(Variant.parse(variant), "irqmode=0", args, 64)) {
            w.awaitReady();
            w.call("setup irqmode=0");
            // compare's defaults: at least 0.3 s, runs of a 0.02 s ramp and a 0.1 s window, whole
            // (--slice 0) or in 5 ms turns with another worker (here an idle slot: the pauses are the same)
            boolean turns = rounds.equals("turns");
            String ok = w.call("warmup 300000000 20000000 100000000" + (turns ? " 5000000 2" : ""));
            warmEndMs = Long.parseLong(ok.substring(ok.indexOf("uptime_ms=") + 10).trim());
            for (int i = 0; i < (turns ? 40 : 64); i++) { // 8-10 s: past the first timer expiry (its period is ~6 s)
                WorkerJvm.parseRun(w.call(turns ? "turns 20000000 100000000 " + (System.nanoTime() + 20_000_000L)
                        + " 5000000 2 0" : "run 20000000 100000000"));
            }
            recompiled = w.call("teardown");
        }
        List<String> after = new ArrayList<>();
        int c2 = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            c2 += C2_COMPILE.matcher(line).find() ? 1 : 0;
            Matcher m = NOT_ENTRANT.matcher(line);
            // tier 4 only: C1 code made not entrant when C2's arrives is the normal tiering, not a shape change
            if (m.find() && m.group(2).equals("4") && Long.parseLong(m.group(1)) > warmEndMs
                    && HotPath.contains(m.group(3).replace("&lt;", "<").replace("&gt;", ">"))) { // the log is XML
                after.add(line.trim());
            }
        }
        assertTrue(c2 > 0, "no C2 compile of jblk code in the log: PrintCompilation's format changed? " + log);
        assertTrue(after.isEmpty(), variant + ": C2 code of jblk thrown away after warm-up (ended at "
                + warmEndMs + " ms), so measured rounds ran another shape:\n" + String.join("\n", after));
        // the worker's own check (compare's JIT line) agrees: nothing of the hot path recompiled
        assertEquals("ok recompiled=-", recompiled, variant + ": the worker's check of its hot path");
    }
}
