package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

/** {@code ./jblk compare} on a tiny run: real worker JVMs, the JSON schema, the chart, bad options. */
class CompareMainTest {
    static BenchMainTest.Outcome compare(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int st = CompareMain.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new BenchMainTest.Outcome(st, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tinyRunWritesEveryRoundWithItsNoiseAndTheIntervalsAsJsonAndAChart(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("not/yet/there/c.json");   // missing directories are created, as fio does
        Path png = tmp.resolve("charts/c.png");
        BenchMainTest.Outcome r = compare("--runtime", "0.05", "--rounds", "2", "--min-sets", "1", "--max-time", "1",
                "--warmup", "0.05", "--workloads", "irqmode=0,mb-randwrite", "--mb-size", "8", "--output-format",
                        "json",
                "--output", json.toString(), "--chart", png.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Object> top = Json.obj(Json.parse(Files.readString(json)));
        assertEquals(List.of("machine", "settings", "ended_by", "elapsed_s", "results", "overhead", "mode_switches",
                "hot_path_checks", "rounds"), List.copyOf(top.keySet()));
        List<Object> checks = Json.arr(top.get("hot_path_checks"));
        assertEquals(8, checks.size(), "one per worker JVM: 2 workloads x 4 variants");
        for (Object o : checks) {
            // a list (maybe empty: this JVM's hot path kept its code), not null: HotSpot answers Compiler.codelist
            assertNotNull(Json.obj(o).get("recompiled"), o.toString());
        }
        Map<String, Object> machine = Json.obj(top.get("machine"));
        assertTrue(machine.keySet().containsAll(Set.of("cpu", "cores", "java_version", "os", "worker_jvm_args")),
                machine.toString());
        assertTrue(((String) machine.get("worker_jvm_args")).contains("dontinline,jblk.blockcore.TimeoutTimer::add"));
        Map<String, Object> settings = Json.obj(top.get("settings"));
        assertEquals(2.0, Json.num(settings.get("rounds_per_set")));
        assertEquals(5.0, Json.num(settings.get("slice_ms")), "the variants of a round take turns of 5 ms");
        boolean pinned = CpuAffinity.unavailableReason() == null;
        assertEquals(pinned ? "split" : "none", settings.get("pin"), settings.toString());
        assertEquals("max_time", top.get("ended_by"), "one set per workload always runs, past a 1 s --max-time");
        List<Object> results = Json.arr(top.get("results"));
        assertEquals(8, results.size(), "2 workloads x 4 variants");
        Set<String> seen = new HashSet<>();
        for (Object o : results) {
            Map<String, Object> res = Json.obj(o);
            seen.add(res.get("workload") + "/" + res.get("variant"));
            assertEquals(2.0, res.get("runs"), res.toString());
            assertTrue(Json.num(res.get("cpu_ns_per_io_median")) > 0, "thread CPU clocks counted: " + res);
            assertTrue(Json.num(res.get("alloc_bytes_per_io")) >= 0, res.toString());
        }
        for (String w : List.of("irqmode=0", "mb-randwrite")) {
            for (String v : List.of("raw", "off", "checked", "debug")) {
                assertTrue(seen.contains(w + "/" + v), w + "/" + v);
            }
        }
        List<Object> overhead = Json.arr(top.get("overhead"));
        assertEquals(6, overhead.size(), "2 workloads x checked_vs_off, off_vs_raw, debug_vs_off");
        for (Object o : overhead) {
            Map<String, Object> ov = Json.obj(o);
            Map<String, Object> cpu = Json.obj(ov.get("cpu_per_io_pct"));
            assertTrue(Json.num(cpu.get("low")) <= Json.num(cpu.get("median"))
                    && Json.num(cpu.get("median")) <= Json.num(cpu.get("high")), ov.toString());
            assertTrue(((String) ov.get("verdict")).contains(" of "), ov.toString());
        }
        List<Object> rounds = Json.arr(top.get("rounds"));
        assertEquals(4, rounds.size(), "2 workloads x 1 set x 2 rounds");
        Map<String, Object> second = Json.obj(rounds.get(1));
        assertEquals("checked off raw debug", second.get("order"), "the second round runs in reverse but the last");
        assertTrue(Json.num(second.get("load1")) >= 0 && Json.num(second.get("others_cpu_pct")) >= 0,
                second.toString());
        assertEquals(4, Json.arr(second.get("runs")).size());
        if (Files.isReadable(Path.of("/proc/thread-self/schedstat"))) {
            Map<String, Object> mb = Json.obj(rounds.get(3));
            assertEquals("mb-randwrite", mb.get("workload"));
            for (Object run : Json.arr(mb.get("runs"))) {
                // irqmode=1: the softirq thread is woken for completions, many times in a run
                assertTrue(Json.num(Json.obj(run).get("context_switches")) > 10, run.toString());
            }
        }
        assertEquals(pinned ? CpuAffinity.allowed().get(0).toString() : "-", second.get("cpus"),
                "set 0's job runs on the first allowed CPU");
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, head, "a PNG");
    }

    @Test
    void tableNamesEveryWorkloadAndGivesAVerdict() {
        // --slice 0: the variants of a round one after another, whole (the default's turns: the other tests)
        BenchMainTest.Outcome r = compare("--runtime", "0.05", "--rounds", "2", "--min-sets", "1", "--max-time", "1",
                "--warmup", "0.05", "--workloads", "irqmode=1", "--variants", "off,checked", "--chart", "none",
                "--slice", "0");
        assertEquals(0, r.status(), r.err());
        String o = r.out();
        assertTrue(o.contains("(after 0.02 s ramp) one after another,"), o);
        assertTrue(o.startsWith("checked vs off, CPU per I/O: "), "the answer first: " + o);
        assertTrue(o.lines().toList().get(2).startsWith("ended by --max-time"), o);
        assertTrue(o.contains("iostats=0 poll_queues=0"), o);
        assertTrue(o.matches("(?s).*\\nirqmode=1 +off .*\\nirqmode=1 +checked .*"), o);
        assertTrue(o.contains("\n  irqmode=1: checked costs "), "a verdict line: "
                + o); // its content: CompareReportTest
        assertTrue(!o.contains("\r"), "no progress line when stdout is not a terminal");
    }

    /** Issue 11: every ownership strategy runs as a variant, each compared with off in its own verdict. */
    @Test
    void everyOwnershipStrategyRunsAsAVariant() {
        BenchMainTest.Outcome r = compare("--runtime", "0.05", "--rounds", "2", "--min-sets", "1", "--max-time", "1",
                "--warmup", "0.05", "--workloads", "irqmode=0", "--variants", "off,checked,refcount,hpref,owned",
                "--chart", "none");
        assertEquals(0, r.status(), r.err());
        String o = r.out();
        for (String v : new String[] {"refcount", "hpref", "owned"}) {
            assertTrue(o.matches("(?s).*\\nirqmode=0 +" + v + " .*"), v + " in the table: " + o);
            assertTrue(o.contains("\n  irqmode=0: " + v + " costs "), v + "'s verdict: " + o);
        }
        assertTrue(o.contains("(after 0.02 s ramp) in turns of 5.0 ms,"), o);
    }

    @Test
    void badOptionsExitNonZeroWithOneClearMessage() {
        BenchMainTest.Outcome r = compare("--workloads", "irqmode=9");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--workloads: unknown workload 'irqmode=9': allowed irqmode=0, irqmode=0-2jobs"),
                r.err());
        r = compare("--variants", "raw,fast");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("variant 'fast' is invalid: allowed " + Variant.ALLOWED), r.err());
        assertTrue(Variant.ALLOWED.startsWith("raw, off, checked, debug, refcount"), Variant.ALLOWED);
        r = compare("--runtime", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--runtime=0.0 is out of range"), r.err());
        for (String bad : new String[] {"3", "0", "1002"}) {
            r = compare("--rounds", bad);
            assertEquals(2, r.status());
            assertTrue(r.err().contains("--rounds=" + bad + " is out of range: allowed an even number 2..1000"
                    + " (rounds pair up as A B, B A)"), r.err());
        }
        r = compare("--output", System.getProperty("java.io.tmpdir"));
        assertEquals(2, r.status());
        assertTrue(r.err().contains("is a directory: expected a file name"), r.err());
        r = compare("--jvm-args", "-XX:+Bogus");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--jvm-args=-XX:+Bogus is refused by the JVM: Unrecognized VM option 'Bogus'"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("", r.out());
        r = compare("--pin", "cpu0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--pin=cpu0 is invalid: allowed auto, split, none"), r.err());
        r = compare("--rounds", "x");
        assertEquals(2, r.status());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        r = compare("--rounds", "3");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--rounds=3 is out of range: allowed an even number 2..1000"), r.err());
        for (String bad : new String[] {"-1", "0.1", "1001"}) {
            r = compare("--slice", bad);
            assertEquals(2, r.status());
            assertTrue(r.err().contains("--slice=" + Double.parseDouble(bad) + " is out of range: allowed 0 (no turns)"
                    + " or 0.5 to 1000 milliseconds"), r.err());
        }
        r = compare("--precision", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--precision=0.0 is out of range: allowed (0, 100] points"), r.err());
        r = compare("--max-time", "-1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--max-time=-1.0 is out of range"), r.err());
    }

    @Test
    void helpShowsTheTargetsTable() {
        BenchMainTest.Outcome r = compare("--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Targets (what the verdicts judge against):"), r.out());
        assertTrue(r.out().contains("checked vs off, softirq/memory-backed: CPU per I/O +2% at most (aim 1%)"),
                r.out());
        assertTrue(r.out().contains("checked vs off, irqmode=0: one atomic (~4.5 ns) of CPU per request at most"),
                r.out());
        assertTrue(!r.out().contains("issue"), "no issue numbers: " + r.out());
    }
}
