package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jblk.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./jblk compare} on a tiny run: real worker JVMs, the issue's JSON schema, the chart, bad options. */
class CompareMainTest {
    static BenchMainTest.Outcome compare(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int st = CompareMain.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new BenchMainTest.Outcome(st, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tinyRunWritesTheIssuesJsonSchemaAndAChart(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("not/yet/there/c.json");   // missing directories are created, as fio does
        Path png = tmp.resolve("charts/c.png");
        BenchMainTest.Outcome r = compare("--runtime", "0.1", "--repetitions", "2", "--warmup", "0.05",
                "--workloads", "irqmode=0,mb-randwrite", "--mb-size", "8", "--output-format", "json",
                "--output", json.toString(), "--chart", png.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> top = Json.obj(Json.parse(Files.readString(json)));
        assertEquals(List.of("machine", "runtime_s", "repetitions", "results", "overhead"), List.copyOf(top.keySet()));
        Map<String, Object> machine = Json.obj(top.get("machine"));
        assertTrue(machine.keySet().containsAll(Set.of("cpu", "cores", "java_version", "os")), machine.toString());
        assertEquals(0.1, Json.num(top.get("runtime_s")), 1e-9);
        assertEquals(2.0, top.get("repetitions"));
        List<Object> results = Json.arr(top.get("results"));
        assertEquals(8, results.size(), "2 workloads x 4 variants");
        Set<String> seen = new HashSet<>();
        double total = 0;
        for (Object o : results) {
            Map<String, Object> res = Json.obj(o);
            assertEquals(List.of("workload", "variant", "iops_median", "iops_min", "iops_max", "p99_clat_ns",
                    "alloc_bytes_per_io"), List.copyOf(res.keySet()));
            seen.add(res.get("workload") + "/" + res.get("variant"));
            double min = Json.num(res.get("iops_min"));
            double med = Json.num(res.get("iops_median"));
            double max = Json.num(res.get("iops_max"));
            // ordering only: on a loaded 2-core machine a 0.1 s run may even complete nothing
            assertTrue(0 <= min && min <= med && med <= max, res.toString());
            total += med;
            assertTrue(Json.num(res.get("p99_clat_ns")) >= 0, res.toString());
            assertTrue(Json.num(res.get("alloc_bytes_per_io")) >= 0, res.toString());
        }
        assertTrue(total > 0, "the workers did I/O");
        for (String w : List.of("irqmode=0", "mb-randwrite")) {
            for (String v : List.of("raw", "off", "checked", "debug")) {
                assertTrue(seen.contains(w + "/" + v), w + "/" + v);
            }
        }
        List<Object> overhead = Json.arr(top.get("overhead"));
        assertEquals(2, overhead.size());
        for (Object o : overhead) {
            Map<String, Object> ov = Json.obj(o);
            assertEquals(List.of("workload", "checked_vs_off_pct", "off_vs_raw_pct"), List.copyOf(ov.keySet()));
            double off = median(results, (String) ov.get("workload"), "off");
            double checked = median(results, (String) ov.get("workload"), "checked");
            double raw = median(results, (String) ov.get("workload"), "raw");
            if (off > 0 && raw > 0) {
                assertEquals(100 * (1 - checked / off), Json.num(ov.get("checked_vs_off_pct")), 1e-3);
                assertEquals(100 * (1 - off / raw), Json.num(ov.get("off_vs_raw_pct")), 1e-3);
            }
        }
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, head, "a PNG");
    }

    private static double median(List<Object> results, String workload, String variant) {
        for (Object o : results) {
            Map<String, Object> r = Json.obj(o);
            if (r.get("workload").equals(workload) && r.get("variant").equals(variant)) {
                return Json.num(r.get("iops_median"));
            }
        }
        throw new AssertionError(workload + "/" + variant);
    }

    @Test
    void tableNamesEveryWorkloadAndGivesAVerdict() {
        BenchMainTest.Outcome r = compare("--runtime", "0.1", "--repetitions", "1", "--warmup", "0.05",
                "--workloads", "irqmode=1", "--variants", "off,checked", "--chart", "none");
        assertEquals(0, r.status(), r.err());
        String o = r.out();
        assertTrue(o.contains("iostats=0 poll_queues=0"), o);
        assertTrue(o.matches("(?s).*\\nirqmode=1 +off .*\\nirqmode=1 +checked .*"), o);
        assertTrue(o.contains("\n  irqmode=1: "), "a verdict line: " + o); // its content: CompareReportTest
        assertTrue(!o.contains("\r"), "no progress line when stdout is not a terminal");
    }

    @Test
    void badOptionsExitNonZeroWithOneClearMessage() {
        BenchMainTest.Outcome r = compare("--workloads", "irqmode=9");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--workloads: unknown workload 'irqmode=9': allowed irqmode=0, irqmode=0-2jobs"),
                r.err());
        r = compare("--variants", "raw,fast");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("variant 'fast' is invalid: allowed raw, off, checked, debug"), r.err());
        r = compare("--runtime", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--runtime=0.0 is out of range"), r.err());
        r = compare("--output", System.getProperty("java.io.tmpdir"));
        assertEquals(2, r.status());
        assertTrue(r.err().contains("is a directory: expected a file name"), r.err());
        r = compare("--jvm-args", "-XX:+Bogus");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--jvm-args=-XX:+Bogus is refused by the JVM: Unrecognized VM option 'Bogus'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("", r.out());
        r = compare("--repetitions", "x");
        assertEquals(2, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
