package jblk.bench;

import java.util.Locale;

/**
 * The verdict on one {@link ComparePair} of one workload, against {@link CompareTargets}: the cost
 * with its 95% interval and what it means ("within the 2% target", "no difference above +-0.6%").
 * "Inconclusive" is said only when {@code --max-time} ended the run before the interval could decide.
 */
final class CompareVerdict {
    private CompareVerdict() {
    }

    static String of(CompareReport r, CompareWorkload w, ComparePair p) {
        Bootstrap.Interval cpu = r.interval(w, p, ComparePair.Metric.CPU);
        Bootstrap.Interval iops = r.interval(w, p, ComparePair.Metric.IOPS);
        if (cpu == null || iops == null) {
            return p.a.label() + " vs " + p.b.label() + ": no round measured both";
        }
        boolean timeEnded = r.outcome == StopRule.Outcome.MAX_TIME;
        String head = String.format(Locale.ROOT, "%s costs %s of %s in CPU per I/O", p.a.label(), pct(cpu),
                p.b.label());
        String tail = String.format(Locale.ROOT, "; IOPS lost %s", pct(iops));
        if (p != ComparePair.CHECKED_VS_OFF) {
            return head + ": " + plain(cpu, r.settings.precisionPts(), timeEnded && r.gated(p)) + tail;
        }
        if (inline(w)) {
            Bootstrap.Interval ns = r.interval(w, p, ComparePair.Metric.CPU_NS);
            String nsHead = String.format(Locale.ROOT, "checked costs %+.1f ns [%.1f, %.1f] of CPU per request over off"
                    + " (%s)", ns.median(), ns.low(), ns.high(), pct(cpu));
            // --precision is in points of off's CPU per I/O: in ns, that share of it
            double precisionNs = r.settings.precisionPts() / 100 * r.cell(w, Variant.OFF).cpuPerIo();
            return nsHead + ": " + judge(ns, CompareTargets.ATOMIC_NS, "the one-atomic target (~"
                    + CompareTargets.ATOMIC_NS + " ns)", "ns", precisionNs, timeEnded) + tail;
        }
        String t = String.format(Locale.ROOT, "the %d%% target", CompareTargets.CHECKED_PCT);
        return head + ": " + judge(cpu, CompareTargets.CHECKED_PCT, t, "points", r.settings.precisionPts(), timeEnded)
                + tail;
    }

    /** Completion inline in submitBio: the check's cost is per request, in ns. */
    static boolean inline(CompareWorkload w) {
        return w.nullb().contains("irqmode=0");
    }

    /** An interval against a target: within, over, at it, or (time ended it) inconclusive. */
    static String judge(Bootstrap.Interval i, double target, String what, String unit, double precision,
                        boolean timeEnded) {
        if (i.high() <= target) {
            String none = i.low() <= 0 && !(i.halfWidth() > precision) ? String.format(Locale.ROOT,
                    " (no difference above +-%.1f%s: the interval reached)", Math.max(-i.low(), i.high()),
                    unit.equals("ns") ? " ns" : "%") : "";
            return "within " + what + none;
        }
        if (i.low() > target) {
            return "over " + what;
        }
        if (timeEnded && i.halfWidth() > precision) {
            return String.format(Locale.ROOT, "inconclusive against %s: the interval reached +-%.1f %s when --max-time"
                    + " ended the run (a longer --max-time or a quieter machine narrows it)", what, i.halfWidth(),
                            unit);
        }
        return "at " + what + " (the interval contains it)";
    }

    /** An interval with no target: a difference, or none above the interval's reach. */
    static String plain(Bootstrap.Interval i, double precision, boolean timeEnded) {
        if (i.low() <= 0 && 0 <= i.high()) {
            if (timeEnded && i.halfWidth() > precision) {
                return String.format(Locale.ROOT, "inconclusive: the interval reached +-%.1f points when --max-time"
                        + " ended the run", i.halfWidth());
            }
            return String.format(Locale.ROOT, "no difference above +-%.1f%% (the interval reached)",
                    Math.max(-i.low(), i.high()));
        }
        return i.low() > 0 ? "costs more" : "costs less";
    }

    /** "+1.3% [0.9, 1.7]" */
    static String pct(Bootstrap.Interval i) {
        return String.format(Locale.ROOT, "%+.1f%% [%.1f, %.1f]", i.median(), i.low(), i.high());
    }
}
