package jblk.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./jblk compare}'s text report: the answer in the first three lines (what costs what, with
 * the interval, and what ended the run), then the table, the verdicts, and the notes on mode
 * switches, the JIT and the noise.
 */
final class CompareText {
    /** A switch adjustment this large (points) is named in a note. */
    static final double SHIFT_NOTE_PTS = 0.5;

    private CompareText() {
    }

    static String of(CompareReport r) {
        StringBuilder sb = new StringBuilder();
        for (String l : answer(r)) {
            sb.append(l).append('\n');
        }
        sb.append('\n').append(table(r)).append('\n');
        sb.append("verdicts (medians of paired ABBA blocks of two rounds, bootstrap 95% intervals; CPU per I/O at"
                + " equal context switches per I/O where a workload hands off; targets: ./jblk compare --help):\n");
        for (CompareWorkload w : r.workloads) {
            for (ComparePair p : r.pairs()) {
                sb.append("  ").append(w.name()).append(": ").append(CompareVerdict.of(r, w, p)).append('\n');
            }
        }
        for (String n : notes(r)) {
            sb.append(n).append('\n');
        }
        sb.append(conditions(r));
        return sb.toString();
    }

    /** Three lines: checked vs off, off vs raw (and debug), and how the run ended, with the noise. */
    static List<String> answer(CompareReport r) {
        List<String> out = new ArrayList<>();
        out.add(r.pairs().contains(ComparePair.CHECKED_VS_OFF) ? checkedLine(r)
                : "checked vs off: not measured (--variants needs off and checked)");
        out.add(otherLine(r));
        int[] busy = r.busyRounds();
        double widest = 0;
        List<String> decided = new ArrayList<>();
        for (CompareWorkload w : r.workloads) {
            if (r.decided(w)) {
                decided.add(w.name());
            } else {
                widest = Math.max(widest, r.widestHalfPts(w));
            }
        }
        String noise = busy[0] == 0 ? "noise not recorded (no /proc)" : String.format(Locale.ROOT,
                "machine busy in %.0f%% of rounds (median load %.1f, others' CPU %.0f%%, steal %.1f%%)",
                100.0 * busy[1] / busy[0], r.medianNoise(ProcNoise.Noise::load1),
                r.medianNoise(ProcNoise.Noise::othersPct), r.medianNoise(ProcNoise.Noise::stealPct));
        String reached = (Double.isInfinite(widest) ? "no interval yet: one ABBA block"
                : String.format(Locale.ROOT, "+-%.1f points", widest))
                + (decided.isEmpty() ? "" : "; " + String.join(", ", decided)
                + " decided against the one-atomic target");
        out.add(String.format(Locale.ROOT, "ended by %s (widest interval %s, asked +-%.1f) after %.0f s; %s",
                r.outcome == StopRule.Outcome.PRECISION ? "precision" : "--max-time", reached,
                r.settings.precisionPts(), r.elapsedS, noise));
        return out;
    }

    private static String checkedLine(CompareReport r) {
        List<String> inline = new ArrayList<>();
        int within = 0;
        int async = 0;
        CompareWorkload worst = null;
        Bootstrap.Interval worstI = null;
        for (CompareWorkload w : r.workloads) {
            if (CompareVerdict.inline(w)) {
                Bootstrap.Interval ns = r.interval(w, ComparePair.CHECKED_VS_OFF, ComparePair.Metric.CPU_NS);
                if (ns != null) {
                    inline.add(String.format(Locale.ROOT, "%s %+.1f ns [%.1f, %.1f]", w.name(), ns.median(), ns.low(),
                            ns.high()));
                }
                continue;
            }
            Bootstrap.Interval i = r.interval(w, ComparePair.CHECKED_VS_OFF, ComparePair.Metric.CPU);
            if (i == null) {
                continue;
            }
            async++;
            within += i.high() <= CompareTargets.CHECKED_PCT ? 1 : 0;
            if (worstI == null || i.median() > worstI.median()) {
                worst = w;
                worstI = i;
            }
        }
        StringBuilder sb = new StringBuilder("checked vs off, CPU per I/O: ");
        if (worst != null) {
            sb.append(String.format(Locale.ROOT, "within the %d%% target on %d of %d softirq/memory-backed workloads"
                    + " (highest %s %s)", CompareTargets.CHECKED_PCT, within, async, worst.name(),
                    CompareVerdict.pct(worstI)));
        }
        if (!inline.isEmpty()) {
            sb.append(worst != null ? "; " : "").append("per request inline (target one atomic, ~")
                    .append(CompareTargets.ATOMIC_NS).append(" ns): ").append(String.join(", ", inline));
        }
        return sb.toString();
    }

    private static String otherLine(CompareReport r) {
        List<String> parts = new ArrayList<>();
        for (ComparePair p : ComparePair.values()) {
            if (p == ComparePair.CHECKED_VS_OFF) {
                continue; // the first line's
            }
            if (!r.pairs().contains(p)) {
                continue;
            }
            Bootstrap.Interval lo = null;
            Bootstrap.Interval hi = null;
            String loW = "";
            String hiW = "";
            for (CompareWorkload w : r.workloads) {
                Bootstrap.Interval i = r.interval(w, p, ComparePair.Metric.CPU);
                if (i == null) {
                    continue;
                }
                if (lo == null || i.median() < lo.median()) {
                    lo = i;
                    loW = w.name();
                }
                if (hi == null || i.median() > hi.median()) {
                    hi = i;
                    hiW = w.name();
                }
            }
            if (lo != null) {
                parts.add(String.format(Locale.ROOT, "%s vs %s, CPU per I/O: %s (%s) to %s (%s)", p.a.label(),
                        p.b.label(), CompareVerdict.pct(lo), loW, CompareVerdict.pct(hi), hiW));
            }
        }
        return parts.isEmpty() ? "off vs raw: not measured (--variants needs raw and off)" : String.join("; ", parts);
    }

    static String table(CompareReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %-8s %9s %10s %9s %6s %-8s %-22s %-22s%n", "workload", "variant",
                "IOPS", "CPU ns/IO", "p99 clat", "B/IO", "vs", "CPU per I/O [95%]", "IOPS lost [95%]"));
        for (CompareWorkload w : r.workloads) {
            for (Variant v : r.variants) {
                CompareReport.Cell c = r.cell(w, v);
                if (c == null) {
                    continue;
                }
                String vs = "";
                String cpu = "";
                String iops = "";
                for (ComparePair p : r.pairs()) {
                    if (p.a == v) {
                        Bootstrap.Interval ci = r.interval(w, p, ComparePair.Metric.CPU);
                        Bootstrap.Interval ii = r.interval(w, p, ComparePair.Metric.IOPS);
                        vs = p.b.label();
                        cpu = ci == null ? "n/a" : CompareVerdict.pct(ci);
                        iops = ii == null ? "n/a" : CompareVerdict.pct(ii);
                    }
                }
                sb.append(String.format(Locale.ROOT, "%-16s %-8s %9s %10.1f %9s %6s %-8s %-22s %-22s%n", w.name(),
                        v.label(), Units.iops(c.iops()), c.cpuPerIo(), c.p99Ns() + " ns",
                        c.allocPerIo() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", c.allocPerIo()), vs, cpu, iops)
                        .stripTrailing()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Mode switches, the JIT during measured runs, allocation with ownership off, the noise. */
    static List<String> notes(CompareReport r) {
        List<String> out = new ArrayList<>();
        if (r.workloadsNote != null) {
            out.add(r.workloadsNote);
        }
        for (CompareReport.ModeSwitch m : r.modeSwitches()) {
            out.add(String.format(Locale.ROOT, "note: %s %s, worker set %d: its rounds fell into two levels of CPU per"
                    + " I/O, %.1f ns (%d rounds) and %.1f ns (%d rounds), %.0f%% apart: a mode switch (the"
                    + " compiled code changed shape: the set's other variants did not step in the same rounds%s);"
                    + " its rounds are in the intervals as they are", m.workload().name(),
                    m.variant().label(), m.set(), m.split().low(), m.split().nLow(), m.split().high(),
                    m.split().nHigh(), m.split().stepPct(), r.settings.sliceMs() > 0 ? ""
                            : ", though with --slice 0 load may have hit only its runs: see their noise in the JSON"));
        }
        for (CompareWorkload w : r.workloads) {
            for (ComparePair p : r.pairs()) {
                double shift = r.switchShiftPts(w, p);
                if (r.gated(p) && Math.abs(shift) >= SHIFT_NOTE_PTS) {
                    Bootstrap.Interval m = r.interval(w, p, ComparePair.Metric.CPU_UNADJUSTED);
                    Bootstrap.Interval sw = r.interval(w, p, ComparePair.Metric.SWITCHES);
                    out.add(String.format(Locale.ROOT, "note: %s %s vs %s: CPU per I/O at equal context switches"
                            + " moved the figure by %+.1f points (as measured %s; %s's threads switched %s per I/O):"
                            + " the machine's doing unless %s itself changes how often they switch", w.name(),
                            p.a.label(), p.b.label(), shift, CompareVerdict.pct(m), p.a.label(),
                            sw == null ? "n/a" : CompareVerdict.pct(sw), p.a.label()));
                }
            }
        }
        int jit = 0;
        int runs = 0;
        for (CompareWorkload w : r.workloads) {
            for (Variant v : r.variants) {
                CompareReport.Cell c = r.cell(w, v);
                if (c != null) {
                    jit += c.jitRuns();
                    runs += c.runs();
                }
            }
            CompareReport.Cell off = r.cell(w, Variant.OFF);
            if (off != null && off.allocPerIo() > CompareTargets.OFF_ALLOC_B + 0.5) {
                out.add(String.format(Locale.ROOT, "note: %s off allocated %.2f B/IO (target %d)", w.name(),
                        off.allocPerIo(), CompareTargets.OFF_ALLOC_B));
            }
        }
        out.add(jitLine(r, jit, runs));
        return out;
    }

    /**
     * The JIT after warm-up: first whether each worker's hot path kept its C2 code (a recompile is a
     * change of shape mid-set), then how many runs saw any compile at all (mostly the JVM's own and
     * the runs' bookkeeping, which the window cannot tell apart).
     */
    static String jitLine(CompareReport r, int jitRuns, int runs) {
        int known = 0;
        List<String> changed = new ArrayList<>();
        for (CompareReport.HotPathCheck c : r.hotPathChecks) {
            if (c.recompiled() == null) {
                continue;
            }
            known++;
            if (!c.recompiled().isEmpty()) {
                changed.add(String.format(Locale.ROOT, "%s %s set %d (%s)", c.workload().name(),
                        c.variant().label(), c.set(), String.join(", ", c.recompiled())));
            }
        }
        String any = String.format(Locale.ROOT, "compiles of anything during %d of %d measured runs"
                + " (runs_with_jit_activity in the JSON)", jitRuns, runs);
        if (known == 0) {
            return "JIT: " + any + "; the hot path's code was not checked";
        }
        return String.format(Locale.ROOT, "JIT: the hot path kept the C2 code of its warm-up in %d of %d worker JVMs"
                + "%s; %s", known - changed.size(), known,
                changed.isEmpty() ? "" : "; recompiled in " + String.join("; ", changed), any);
    }

    private static String conditions(CompareReport r) {
        Map<String, String> m = r.machine;
        CompareReport.Settings s = r.settings;
        return String.format(Locale.ROOT, "%s, %s cores, Java %s, load %s at start; rounds of %.2f s per variant"
                + " (after %.2f s ramp)%s, %d rounds per worker set of every variant (more in sets of fewer), paired in"
                + " ABBA blocks, at least %d sets of fresh worker JVMs;"
                + " %s; null_blk %s, 4 KiB I/O%n", m.get("cpu"), m.get("cores"), m.get("java_version"),
                m.get("loadavg_at_start"), s.runtimeS(), s.rampS(), s.sliceMs() > 0
                        ? String.format(Locale.ROOT, " in turns of %.1f ms", s.sliceMs()) : " one after another",
                s.roundsPerSet(), s.minSets(),
                s.placement().describe(), CompareWorkload.COMMON);
    }
}
