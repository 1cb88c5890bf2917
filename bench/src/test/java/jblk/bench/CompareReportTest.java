package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jblk.json.Json;
import org.junit.jupiter.api.Test;

/** The comparison's arithmetic, verdicts and answer lines on known rounds (no timing involved). */
class CompareReportTest {
    static final Map<String, CompareWorkload> ALL = CompareWorkload.all(64);
    static final ProcNoise.Noise QUIET = new ProcNoise.Noise(0.5, 0, 2);
    static final ProcNoise.Noise BUSY = new ProcNoise.Noise(6.0, 0, 60);

    static CompareReport report(StopRule.Outcome outcome, String... workloads) {
        List<CompareWorkload> ws = java.util.Arrays.stream(workloads).map(ALL::get).toList();
        CompareReport r = new CompareReport(ws, Variant.DEFAULT, new CompareReport.Settings(0.1, 0.02, 5, 4, 2,
                0.5, 100, new CpuPlacement(true, java.util.List.of(0, 1), "")), Map.of("cpu", "test", "cores", "2"));
        r.outcome = outcome;
        return r;
    }

    /** A round where each variant did 1e6 I/Os at the given CPU ns per I/O (IOPS = 1e9 / ns). */
    static void round(CompareReport r, String w, int set, int index, ProcNoise.Noise noise, double raw, double off,
                      double checked, double debug) {
        Map<Variant, CompareRound.Run> runs = new LinkedHashMap<>();
        double[] ns = {raw, off, checked, debug};
        for (Variant v : Variant.DEFAULT) {
            double x = ns[v.ordinal()];
            runs.put(v, new CompareRound.Run(1e9 / x, 1_000_000, Math.round(x * 1_000_000), 1000, 0, 0, "0", -1));
        }
        r.add(ALL.get(w), new CompareRound(set, index, AbbaOrder.of(Variant.DEFAULT, index), "1", runs, noise));
    }

    @Test
    void overheadIsTheMedianOfPairedRatiosNotARatioOfMedians() {
        CompareReport r = report(StopRule.Outcome.PRECISION, "irqmode=1");
        // the machine slows down round by round; checked is always exactly 1% above off in the same round
        for (int i = 0; i < 8; i++) {
            double off = 1000 + 200 * i;
            round(r, "irqmode=1", i / 4, i % 4, QUIET, off, off, off * 1.01, off * 30);
        }
        Bootstrap.Interval cpu = r.interval(ALL.get("irqmode=1"), ComparePair.CHECKED_VS_OFF, ComparePair.Metric.CPU);
        assertEquals(1.0, cpu.median(), 1e-9);
        assertEquals(1.0, cpu.low(), 1e-9);
        assertEquals(1.0, cpu.high(), 1e-9);
        Bootstrap.Interval iops = r.interval(ALL.get("irqmode=1"), ComparePair.CHECKED_VS_OFF, ComparePair.Metric.IOPS);
        assertEquals(100 * (1 - 1 / 1.01), iops.median(), 1e-9);
        assertEquals(1700.0, r.cell(ALL.get("irqmode=1"), Variant.OFF).cpuPerIo(), 1e-9);
        assertEquals(2, r.sets(ALL.get("irqmode=1")));
        String v = CompareVerdict.of(r, ALL.get("irqmode=1"), ComparePair.CHECKED_VS_OFF);
        assertEquals("checked costs +1.0% [1.0, 1.0] of off in CPU per I/O: within the 2% target; IOPS lost +1.0% [1.0,"
                + " 1.0]", v);
    }

    /** A run after its own JVM's is cheaper: with two variants (A B, B A) every block gives each side one of each. */
    @Test
    void aBlockOfTwoRoundsCancelsTheRunAfterItselfBeingCheaper() {
        CompareReport r = new CompareReport(List.of(ALL.get("mb-randread")), List.of(Variant.OFF, Variant.CHECKED),
                new CompareReport.Settings(0.1, 0.02, 5, 8, 1, 0.5, 100, new CpuPlacement(true, List.of(0, 1), "")),
                Map.of("cpu", "test", "cores", "2"));
        List<Variant> vs = List.of(Variant.OFF, Variant.CHECKED);
        for (int i = 0; i < 8; i++) {
            List<Variant> order = AbbaOrder.of(vs, i);
            Map<Variant, CompareRound.Run> runs = new LinkedHashMap<>();
            for (Variant v : order) {
                // the second of a round follows the other JVM: 5% dearer; checked itself costs 1% more
                double ns = 2000 * (v == Variant.CHECKED ? 1.01 : 1) * (order.indexOf(v) == 1 ? 1.05 : 1);
                runs.put(v, new CompareRound.Run(1e9 / ns, 1_000_000, Math.round(ns * 1_000_000), 1000, 0, 0, "0", -1));
            }
            r.add(ALL.get("mb-randread"), new CompareRound(0, i, order, "1", runs, QUIET));
        }
        Bootstrap.Interval cpu = r.interval(ALL.get("mb-randread"), ComparePair.CHECKED_VS_OFF,
                ComparePair.Metric.CPU);
        assertEquals(1.0, cpu.median(), 1e-3);
        assertEquals(0, cpu.high() - cpu.low(), 1e-3, "no +-5-point swing between even and odd rounds: " + cpu);
    }

    /** How often each side was switched onto a CPU per I/O, compared per block; unknown counts give no figure. */
    @Test
    void theVariantsContextSwitchRatesAreComparedPerBlock() {
        CompareReport r = report(StopRule.Outcome.MAX_TIME, "mb-randread");
        List<Variant> vs = List.of(Variant.OFF, Variant.CHECKED);
        for (int i = 0; i < 8; i++) {
            Map<Variant, CompareRound.Run> runs = new LinkedHashMap<>();
            for (Variant v : AbbaOrder.of(vs, i)) {
                // the rate drifts round by round; checked's is 10% above off's in every round
                long switches = Math.round((100_000 + 5_000 * i) * (v == Variant.CHECKED ? 1.1 : 1));
                runs.put(v, new CompareRound.Run(1e6, 1_000_000, 2_000_000_000L, 1000, 0, 0, "0", switches));
            }
            r.add(ALL.get("mb-randread"), new CompareRound(i / 4, i % 4, AbbaOrder.of(vs, i), "1", runs, BUSY));
        }
        Bootstrap.Interval sw = r.interval(ALL.get("mb-randread"), ComparePair.CHECKED_VS_OFF,
                ComparePair.Metric.SWITCHES);
        assertEquals(10, sw.median(), 1e-9);
        Map<?, ?> top = (Map<?, ?>) Json.parse(r.json());
        Map<?, ?> overhead = (Map<?, ?>) ((List<?>) top.get("overhead")).get(0);
        assertEquals(10, (Double) ((Map<?, ?>) overhead.get("switches_per_io_pct")).get("median"), 1e-9);
        Map<?, ?> run = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) top.get("rounds")).get(0)).get("runs")).get(0);
        assertEquals(100_000.0, run.get("context_switches"));
        CompareReport unknown = report(StopRule.Outcome.MAX_TIME, "irqmode=1");
        for (int i = 0; i < 4; i++) {
            round(unknown, "irqmode=1", 0, i, QUIET, 1000, 1000, 1010, 30_000); // switches not recorded
        }
        assertEquals(null, unknown.interval(ALL.get("irqmode=1"), ComparePair.CHECKED_VS_OFF,
                ComparePair.Metric.SWITCHES));
    }

    @Test
    void verdictsSayWithinOverNoDifferenceOrInconclusiveOnlyWhenTimeEndedIt() {
        double[] checkedPct = {0.2, -0.2, 0.1, -0.1, 0.3, -0.3, 0.0, 0.05};
        for (StopRule.Outcome o : new StopRule.Outcome[] {StopRule.Outcome.PRECISION, StopRule.Outcome.MAX_TIME}) {
            CompareReport r = report(o, "mb-randread", "mb-randwrite", "irqmode=1");
            for (int i = 0; i < 8; i++) {
                round(r, "mb-randread", i / 4, i % 4, QUIET, 2000, 2000, 2000 * (1 + checkedPct[i] / 100), 50_000);
                round(r, "mb-randwrite", i / 4, i % 4, QUIET, 2000, 2000, 2000 * 1.05, 50_000);
                // wide: -3% .. +5% from one ABBA block to the next, straddles the 2% target
                round(r, "irqmode=1", i / 4, i % 4, QUIET, 2000, 2000, 2000 * (1 + (i / 2 % 2 == 0 ? 5 : -3) / 100.0),
                        50_000);
            }
            String none = CompareVerdict.of(r, ALL.get("mb-randread"), ComparePair.CHECKED_VS_OFF);
            assertTrue(none.contains(": within the 2% target (no difference above +-0."), none);
            String over = CompareVerdict.of(r, ALL.get("mb-randwrite"), ComparePair.CHECKED_VS_OFF);
            assertTrue(over.startsWith("checked costs +5.0% [5.0, 5.0] of off in CPU per I/O: over the 2% target"),
                    over);
            String wide = CompareVerdict.of(r, ALL.get("irqmode=1"), ComparePair.CHECKED_VS_OFF);
            if (o == StopRule.Outcome.MAX_TIME) {
                assertTrue(wide.contains("inconclusive against the 2% target: the interval reached +-"), wide);
            } else {
                assertTrue(wide.contains("at the 2% target (the interval contains it)"), wide);
            }
            String offRaw = CompareVerdict.of(r, ALL.get("mb-randwrite"), ComparePair.OFF_VS_RAW);
            assertTrue(offRaw.startsWith(
                    "off costs +0.0% [0.0, 0.0] of raw in CPU per I/O: no difference above +-0.0%"),
                    offRaw);
        }
    }

    @Test
    void inlineWorkloadsAreJudgedInNanosecondsAgainstOneAtomic() {
        CompareReport r = report(StopRule.Outcome.PRECISION, "irqmode=0");
        for (int i = 0; i < 8; i++) {
            round(r, "irqmode=0", i / 4, i % 4, QUIET, 45, 50, 50 + 4 + (i / 2 % 2) * 0.2, 2000);
        }
        String v = CompareVerdict.of(r, ALL.get("irqmode=0"), ComparePair.CHECKED_VS_OFF);
        assertTrue(v.startsWith("checked costs +4.1 ns [4.0, 4.2] of CPU per request over off"), v);
        assertTrue(v.contains("within the one-atomic target (~4.5 ns)"), v);
    }

    /** irqmode=0 is judged in ns against one atomic: it stops once its interval settles that; it ranks last. */
    @Test
    void anInlineWorkloadIsDecidedByItsNanosecondIntervalAndTakesSetsAfterTheOthers() {
        CompareReport r = report(StopRule.Outcome.MAX_TIME, "irqmode=0", "mb-randread");
        for (int i = 0; i < 8; i++) {
            // irqmode=0: checked 1-3 ns over off, every block: the interval lies under 4.5 ns
            round(r, "irqmode=0", i / 4, i % 4, QUIET, 45, 50, 51 + (i / 2 % 2) * 2, 2000);
            round(r, "mb-randread", i / 4, i % 4, QUIET, 2000, 2000, 2000 * (1 + (i / 2 % 2) / 100.0), 50_000);
        }
        assertTrue(r.decided(ALL.get("irqmode=0")), "[1, 3] ns is within one atomic");
        assertFalse(r.decided(ALL.get("mb-randread")), "judged by --precision in points");
        assertTrue(r.widestHalfPts(ALL.get("irqmode=0")) > r.widestHalfPts(ALL.get("mb-randread")));
        assertTrue(CompareMain.allocationWidth(ALL.get("irqmode=0"), r.widestHalfPts(ALL.get("irqmode=0")))
                < CompareMain.allocationWidth(ALL.get("mb-randread"), r.widestHalfPts(ALL.get("mb-randread"))),
                "the wider inline interval ranks last");
        CompareReport over = report(StopRule.Outcome.MAX_TIME, "irqmode=0");
        for (int i = 0; i < 8; i++) {
            // 2-8 ns from block to block: the interval straddles 4.5 ns, undecided
            round(over, "irqmode=0", i / 4, i % 4, QUIET, 45, 50, 52 + (i / 2 % 2) * 6, 2000);
        }
        assertFalse(over.decided(ALL.get("irqmode=0")));
    }

    @Test
    void theAnswerComesFirstInThreeLinesThenTheTable() {
        CompareReport r = report(StopRule.Outcome.MAX_TIME, "irqmode=1", "irqmode=0");
        for (int i = 0; i < 8; i++) {
            round(r, "irqmode=1", i / 4, i % 4, i < 4 ? BUSY : QUIET, 1000, 1010, 1020, 30_000);
            round(r, "irqmode=0", i / 4, i % 4, QUIET, 45, 50, 54, 2000);
        }
        r.elapsedS = 42;
        List<String> lines = CompareText.of(r).lines().toList();
        assertTrue(lines.get(0).startsWith("checked vs off, CPU per I/O: within the 2% target on 1 of 1 softirq/"
                + "memory-backed workloads (highest irqmode=1 +1.0% [1.0, 1.0]); per request inline"), lines.get(0));
        assertTrue(lines.get(0).contains("irqmode=0 +4.0 ns [4.0, 4.0]"), lines.get(0));
        assertTrue(lines.get(1).startsWith("off vs raw, CPU per I/O: +1.0% [1.0, 1.0] (irqmode=1) to +11.1%"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("ended by --max-time (widest interval +-0.0 points; irqmode=0 decided"
                + " against the one-atomic target, asked +-0.5) after 42 s; machine busy in 25% of rounds"),
                lines.get(2));
        assertEquals("", lines.get(3));
        assertTrue(lines.get(4).startsWith("workload"), lines.get(4));
    }

    @Test
    void aWorkerWhoseRoundsFallIntoTwoLevelsIsReported() {
        CompareReport r = report(StopRule.Outcome.PRECISION, "irqmode=0");
        for (int i = 0; i < 8; i++) {
            round(r, "irqmode=0", 0, i, QUIET, 45, 50, i < 3 ? 54 : 70, 2000);
        }
        List<CompareReport.ModeSwitch> m = r.modeSwitches();
        assertEquals(1, m.size(), m.toString());
        assertEquals(Variant.CHECKED, m.get(0).variant());
        String text = CompareText.of(r);
        assertTrue(text.contains("note: irqmode=0 checked, worker set 0: its rounds fell into two levels"
                + " of CPU per I/O,"
                + " 54.0 ns (3 rounds) and 70.0 ns (5 rounds)"), text);
        assertNotNull(r.json());
        // in turns a load change hits every variant of its rounds: all four step together, no mode switch
        CompareReport load = report(StopRule.Outcome.PRECISION, "irqmode=0");
        for (int i = 0; i < 8; i++) {
            double k = i < 3 ? 1 : 1.3;
            round(load, "irqmode=0", 0, i, BUSY, 45 * k, 50 * k, 54 * k, 2000 * k);
        }
        assertEquals(List.of(), load.modeSwitches(), "the machine, not a JVM's compiled code");
    }

    /** Raw and debug are in no --precision pair: after the first --min-sets sets a workload's sets run without them. */
    @Test
    void onlyTheVariantsOfGatedPairsRunPastTheMinimumSets() {
        CompareReport r = report(StopRule.Outcome.MAX_TIME, "irqmode=1");
        assertEquals(List.of(Variant.OFF, Variant.CHECKED), r.gatedVariants());
        assertFalse(r.gated(ComparePair.OFF_VS_RAW), "off vs raw has no target");
        CompareReport rawOff = new CompareReport(List.of(ALL.get("irqmode=1")), List.of(Variant.RAW, Variant.OFF),
                r.settings, r.machine);
        assertTrue(rawOff.gated(ComparePair.OFF_VS_RAW), "--variants raw,off asks for off vs raw's precision");
        assertEquals(List.of(Variant.RAW, Variant.OFF), rawOff.gatedVariants());
        CompareReport debugOnly = new CompareReport(List.of(ALL.get("irqmode=1")), List.of(Variant.OFF, Variant.DEBUG),
                r.settings, r.machine);
        assertEquals(List.of(Variant.OFF, Variant.DEBUG), debugOnly.gatedVariants(), "nothing gated: all run");
    }

    /** The JIT line: which worker JVMs' hot path recompiled after warm-up, in the text and the JSON. */
    @Test
    void hotPathRecompilesAreNamedPerWorkerJvm() {
        CompareReport r = report(StopRule.Outcome.PRECISION, "irqmode=1");
        for (int i = 0; i < 4; i++) {
            round(r, "irqmode=1", 0, i, QUIET, 1000, 1100, 1110, 9000);
        }
        assertTrue(CompareText.of(r).contains("JIT: compiles of anything during 0 of 16 measured runs"
                + " (runs_with_jit_activity in the JSON); the hot path's code was not checked"), CompareText.of(r));
        CompareWorkload w = ALL.get("irqmode=1");
        r.hotPathChecks.add(new CompareReport.HotPathCheck(w, Variant.OFF, 0, List.of()));
        r.hotPathChecks.add(new CompareReport.HotPathCheck(w, Variant.CHECKED, 0,
                List.of("jblk.blockcore.SwQueue::getRequest", "jblk.bench.IoJob::complete")));
        r.hotPathChecks.add(new CompareReport.HotPathCheck(w, Variant.RAW, 0, null));
        String text = CompareText.of(r);
        assertTrue(text.contains("JIT: the hot path kept the C2 code of its warm-up in 1 of 2 worker JVMs;"
                + " recompiled in irqmode=1 checked set 0 (jblk.blockcore.SwQueue::getRequest,"
                + " jblk.bench.IoJob::complete); compiles of anything during 0 of 16"), text);
        Map<String, Object> j = Json.obj(Json.parse(r.json()));
        assertEquals(List.of("jblk.blockcore.SwQueue::getRequest", "jblk.bench.IoJob::complete"),
                Json.at(j, "hot_path_checks", 1, "recompiled"));
        assertEquals(List.of(), Json.at(j, "hot_path_checks", 0, "recompiled"));
        Map<String, Object> unknown = Json.obj(Json.at(j, "hot_path_checks", 2));
        assertTrue(unknown.containsKey("recompiled") && unknown.get("recompiled") == null, unknown.toString());
        assertEquals(List.of(), CompareMain.recompiled("ok recompiled=-"));
        assertEquals(List.of("a::b", "c::d"), CompareMain.recompiled("ok recompiled=a::b,c::d"));
        assertNull(CompareMain.recompiled("ok recompiled=?"));
        assertNull(CompareMain.recompiled("ok"), "an older worker's answer");
    }

    /** --workloads auto: the 2-job workloads only where two pinned jobs leave CPUs for the rest. */
    @Test
    void autoWorkloadsLeaveOutTwoJobsOnSmallMachines() {
        List<String> two = CompareWorkload.select("auto", 64, 2).stream().map(CompareWorkload::name).toList();
        assertEquals(List.of("irqmode=0", "irqmode=1", "mb-randread", "mb-randwrite"), two);
        assertEquals(8, CompareWorkload.select("auto", 64, CompareWorkload.CPUS_FOR_2JOBS).size());
        assertEquals(8, CompareWorkload.select("all", 64, 2).size());
    }
}
