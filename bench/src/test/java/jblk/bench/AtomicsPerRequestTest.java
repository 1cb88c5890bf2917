package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jblk.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The atomics each strategy adds per request over {@code off}, counted ({@code ./jblk atomics} in a
 * JVM with {@code -Djblk.countAtomics=true}) rather than read off the code: what docs/OWNERSHIP.md
 * claims. The mainline token and the generation word pay one CAS per end (generation two at
 * irqmode 1: the complete's and the end's); hpref's end rides on {@code rq->ref}'s put and owned's on
 * a plain flag, so both add none. The common path (tag get and put, {@code rq->ref}'s put, at
 * irqmode 1 the completion list's push and take) is pinned too, so a new atomic anywhere shows.
 */
@Timeout(120)
class AtomicsPerRequestTest {
    /**
     * Counting is per JVM, not per request: the timeout scan's references on a busy request and a
     * request that ends across the snapshot show as a few thousandths; a strategy's atomic is 1.
     */
    private static final double EPS = 0.02;

    @Test
    void eachStrategyAddsTheAtomicsItClaims() throws Exception {
        Map<String, Map<String, Object>> rows = run();
        // irqmode 0: tag get + tag put + rq->ref put
        assertRow(rows, "raw@0", 3, Map.of("tag_get", 1.0, "tag_put", 1.0, "rq_ref", 1.0));
        assertRow(rows, "off@0", 3, Map.of("tag_get", 1.0, "tag_put", 1.0, "rq_ref", 1.0));
        assertRow(rows, "refcount@0", 4, Map.of("token", 1.0, "rq_word", 0.0));
        assertRow(rows, "generation@0", 4, Map.of("rq_word", 1.0, "token", 0.0));
        assertRow(rows, "hpref@0", 3, Map.of("rq_ref", 1.0, "hazard", 0.0));
        assertRow(rows, "owned@0", 3, Map.of("token", 0.0, "rq_word", 0.0));
        // irqmode 1: plus the completion list's push and take
        assertRow(rows, "raw@1", 5, Map.of("completion_list", 2.0));
        assertRow(rows, "off@1", 5, Map.of("completion_list", 2.0));
        assertRow(rows, "refcount@1", 6, Map.of("token", 1.0));
        assertRow(rows, "generation@1", 7, Map.of("rq_word", 2.0));
        assertRow(rows, "hpref@1", 5, Map.of("rq_ref", 1.0));
        assertRow(rows, "owned@1", 5, Map.of("token", 0.0));
    }

    /** Bad options are named with their allowed range, before anything runs; so is a JVM that does not count. */
    @Test
    void badOptionsAndACountingOffJvmAreRefusedClearly() {
        assertRefused("jblk atomics: --requests=0 is out of range: allowed 1..10000000", "--requests", "0");
        assertRefused("jblk atomics: --irqmode=2 is out of range: allowed 0, 1", "--irqmode", "0,2");
        assertRefused("jblk atomics: --output-format=csv: allowed text, json", "--output-format", "csv");
        // this test JVM runs without -Djblk.countAtomics=true
        assertRefused("jblk atomics: counting is off: run with -Djblk.countAtomics=true (./jblk atomics sets it)");
    }

    private static void assertRefused(String message, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AtomicsMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status, String.join(" ", args));
        assertEquals(message, err.toString(StandardCharsets.UTF_8).trim());
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing measured");
    }

    private static void assertRow(Map<String, Map<String, Object>> rows, String key, double total,
            Map<String, Double> sites) {
        Map<String, Object> r = rows.get(key);
        assertEquals(total, Json.num(r.get("total")), EPS, key + ": atomics per request " + r);
        Map<String, Object> s = Json.obj(r.get("sites"));
        sites.forEach((site, want) -> assertEquals(want, Json.num(s.get(site)), EPS, key + " " + site + ": " + s));
    }

    /** {@code ./jblk atomics --output-format json}, in a JVM of its own: the counting is fixed at start. */
    private static Map<String, Map<String, Object>> run() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djblk.countAtomics=true", "-cp", System.getProperty("java.class.path"), AtomicsMain.class.getName(),
                "--requests", "4000", "--output-format", "json");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "jblk atomics failed: " + out);
        Map<String, Map<String, Object>> rows = new HashMap<>();
        List<Object> list = Json.arr(Json.at(Json.parse(out), "rows"));
        for (Object o : list) {
            Map<String, Object> r = Json.obj(o);
            rows.put(r.get("variant") + "@" + (int) Json.num(r.get("irqmode")), r);
        }
        return rows;
    }
}
