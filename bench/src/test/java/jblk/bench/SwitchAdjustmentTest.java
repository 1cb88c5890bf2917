package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import jblk.json.Json;
import org.junit.jupiter.api.Test;

/** CPU per I/O at equal context switches: the slope, where it applies, and what it does to an interval. */
class SwitchAdjustmentTest {
    static final Map<String, CompareWorkload> ALL = CompareReportTest.ALL;

    /**
     * Off and checked, 64 rounds in 2 sets; checked costs 1.5% more per I/O, and each run's CPU
     * per I/O also rises 3 us per extra switch per I/O, the switch rate scattering from run to run
     * as a busy machine's scheduler makes it (off's around {@code offRate}, checked's the same on average).
     */
    static CompareReport busy(String workload, double offRate, long seed) {
        return busy(workload, offRate, 0, seed);
    }

    /** {@link #busy}, with checked's threads switching {@code gap} (a fraction) more per I/O as a rule. */
    static CompareReport busy(String workload, double offRate, double gap, long seed) {
        CompareReport r = new CompareReport(List.of(ALL.get(workload)), List.of(Variant.OFF, Variant.CHECKED),
                new CompareReport.Settings(0.1, 0.02, 5, 32, 2, 0.5, 100, new CpuPlacement(true, List.of(0, 1), "")),
                Map.of("cpu", "test", "cores", "2"));
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Variant> vs = List.of(Variant.OFF, Variant.CHECKED);
        for (int i = 0; i < 64; i++) {
            Map<Variant, CompareRound.Run> runs = new LinkedHashMap<>();
            for (Variant v : AbbaOrder.of(vs, i)) {
                double rate = offRate * (1 + 0.3 * (rnd.nextDouble() - 0.5)) * (v == Variant.CHECKED ? 1 + gap : 1);
                double ns = 1400 * (v == Variant.CHECKED ? 1.015 : 1) + 3000 * (rate - offRate)
                        + 5 * (rnd.nextDouble() - 0.5);
                long ios = 100_000;
                runs.put(v, new CompareRound.Run(1e9 / ns, ios, Math.round(ns * ios), 1000, 0, 0, "0",
                        Math.round(rate * ios)));
            }
            r.add(ALL.get(workload), new CompareRound(i / 32, i % 32, AbbaOrder.of(vs, i), "1", runs,
                    CompareReportTest.BUSY));
        }
        return r;
    }

    @Test
    void switchesTakenOutLeaveTheCostAndANarrowerInterval() {
        CompareReport r = busy("irqmode=1", 0.15, 7);
        CompareWorkload w = ALL.get("irqmode=1");
        double slope = r.switchSlope(w, ComparePair.CHECKED_VS_OFF);
        // 3000 ns per switch per I/O on ~1400 ns: ~214% per switch per I/O
        assertEquals(100 * 3000 / 1400.0, slope, 15, "slope");
        Bootstrap.Interval adj = r.interval(w, ComparePair.CHECKED_VS_OFF, ComparePair.Metric.CPU);
        Bootstrap.Interval raw = r.interval(w, ComparePair.CHECKED_VS_OFF, ComparePair.Metric.CPU_UNADJUSTED);
        // the cost itself stays (the ratio's curvature in the rate moves it by a few hundredths)
        assertEquals(1.5, adj.median(), 0.15, "the cost itself stays: " + adj);
        assertTrue(adj.high() - adj.low() < (raw.high() - raw.low()) / 3,
                "the scheduler's share taken out: " + adj + " against " + raw);
        Map<?, ?> overhead = (Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(r.json())).get("overhead")).get(0);
        assertEquals(slope, (Double) overhead.get("cpu_switch_slope"), 1e-3);
        assertTrue(overhead.containsKey("cpu_per_io_pct_unadjusted"), overhead.toString());
    }

    @Test
    void noAdjustmentWithoutAHandOffOrWithoutCounts() {
        // inline completion: a few switches per million I/Os are no hand-off
        CompareReport inline = busy("irqmode=0", 0.001, 7);
        assertTrue(Double.isNaN(inline.switchSlope(ALL.get("irqmode=0"), ComparePair.CHECKED_VS_OFF)));
        CompareWorkload w = ALL.get("irqmode=0");
        assertEquals(inline.interval(w, ComparePair.CHECKED_VS_OFF, ComparePair.Metric.CPU_UNADJUSTED),
                inline.interval(w, ComparePair.CHECKED_VS_OFF, ComparePair.Metric.CPU));
        // switches unknown (-1): no slope
        List<double[]> x = new ArrayList<>(List.of(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4}));
        List<double[]> z = new ArrayList<>(List.of(new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {0.1, 0.2, Double.NaN, 0.4}));
        double[] rates = {8, 8, 8, 8, 8, 8, 8, 8};   // the gaps 1-5% of the rate: alike
        assertTrue(Double.isNaN(SwitchAdjustment.slope(x, z, rates)));
        z.set(1, new double[] {0.1, 0.2, 0.3, 0.4});
        assertEquals(10, SwitchAdjustment.slope(x, z, rates), 1e-9);
        assertTrue(Double.isNaN(SwitchAdjustment.slope(x.subList(0, 1), z.subList(0, 1),
                new double[] {8, 8, 8, 8})), "too few blocks for a slope");
    }

    @Test
    void noAdjustmentWhereTheVariantItselfSwitchesMore() {
        // debug-like: b's rate 0.2 per I/O, a's 0.5: switching is part of what a does
        List<double[]> x = List.of(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4});
        List<double[]> z = List.of(new double[] {0.28, 0.29, 0.30, 0.31}, new double[] {0.28, 0.29, 0.30, 0.31});
        double[] rates = {.2, .2, .2, .2, .2, .2, .2, .2};
        assertTrue(Double.isNaN(SwitchAdjustment.slope(x, z, rates)));
        // the same spread around a 5% gap: alike, adjusted
        List<double[]> near = List.of(new double[] {-0.01, 0.0, 0.01, 0.02}, new double[] {-0.01, 0.0, 0.01, 0.02});
        assertEquals(100, SwitchAdjustment.slope(x, near, rates), 1e-9);
    }

    @Test
    void whatTheAdjustmentMovedIsReportedAndNamedWhenLarge() {
        // checked's threads switch 5% more as a rule: at equal switching that part of its cost is left
        // out (0.05 x 0.15 switches per I/O x ~214% = ~1.6 points), and the report says so
        CompareReport r = busy("irqmode=1", 0.15, 0.05, 7);
        CompareWorkload w = ALL.get("irqmode=1");
        double shift = r.switchShiftPts(w, ComparePair.CHECKED_VS_OFF);
        assertEquals(-0.05 * 0.15 * 100 * 3000 / 1400.0, shift, 0.4);
        assertTrue(CompareText.of(r).contains("note: irqmode=1 checked vs off: CPU per I/O at equal context switches"
                + " moved the figure by " + String.format(java.util.Locale.ROOT, "%+.1f", shift) + " points"),
                CompareText.of(r));
        Map<?, ?> overhead = (Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(r.json())).get("overhead")).get(0);
        assertEquals(shift, (Double) overhead.get("cpu_switch_shift_pts"), 1e-3);
        // alike (no gap): a shift of hundredths, no note
        CompareReport alike = busy("irqmode=1", 0.15, 7);
        assertTrue(Math.abs(alike.switchShiftPts(w, ComparePair.CHECKED_VS_OFF)) < 0.3);
        assertTrue(!CompareText.of(alike).contains("at equal context switches moved"), CompareText.of(alike));
    }

    @Test
    void aLoneBlockWithUnknownSwitchesGivesNoSlope() {
        List<double[]> x = List.of(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4}, new double[] {5});
        List<double[]> z = List.of(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {Double.NaN});
        assertTrue(Double.isNaN(SwitchAdjustment.slope(x, z, new double[] {8, 8, 8, 8, 8, 8, 8, 8, 8})),
                "a set of one block is not in the fit, but its unknown count still stops the adjustment");
    }

    @Test
    void setLevelsMakeNoSlope() {
        // two sets whose JVMs differ in both CPU and switches, with no relation inside either set
        List<double[]> x = List.of(new double[] {0, 1, 0, 1}, new double[] {10, 11, 10, 11});
        List<double[]> z = List.of(new double[] {0, 0, 1, 1}, new double[] {5, 5, 6, 6});
        assertEquals(0, SwitchAdjustment.slope(x, z, new double[] {90, 90, 90, 90, 90, 90, 90, 90}), 1e-9,
                "within the sets x does not follow z");
    }
}
