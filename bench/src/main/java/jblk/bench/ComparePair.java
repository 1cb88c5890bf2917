package jblk.bench;

import java.util.List;

/**
 * A comparison {@code ./jblk compare} reports: variant {@code a} against {@code b}, as paired
 * figures per round (both ran in the same round, next to each other in time).
 */
enum ComparePair {
    CHECKED_VS_OFF(Variant.CHECKED, Variant.OFF, true, true),
    /** No target: its sets are the first --min-sets ones, which every variant runs in. */
    OFF_VS_RAW(Variant.OFF, Variant.RAW, false, true),
    DEBUG_VS_OFF(Variant.DEBUG, Variant.OFF, false, false),
    /** The other ownership strategies (issue 11), when asked for with --variants: no target, gated like checked. */
    REFCOUNT_VS_OFF(Variant.REFCOUNT, Variant.OFF, true, true),
    HPREF_VS_OFF(Variant.HPREF, Variant.OFF, true, true),
    OWNED_VS_OFF(Variant.OWNED, Variant.OFF, true, true);

    final Variant a;
    final Variant b;
    /**
     * Whether {@code --precision} applies, and so whether later sets run it: checked vs off (the
     * target's question) and the strategies. Off vs raw has no target and differs by 5-20%, debug
     * costs tens of times more; a set spent on their third JVM is a set not spent on checked.
     */
    final boolean gated;
    /** Whether the chart shows it (debug's hundreds of percent would flatten the others' bars). */
    final boolean charted;

    ComparePair(Variant a, Variant b, boolean gated, boolean charted) {
        this.a = a;
        this.b = b;
        this.gated = gated;
        this.charted = charted;
    }

    String key() {
        return a.label() + "_vs_" + b.label();
    }

    boolean in(List<Variant> variants) {
        return variants.contains(a) && variants.contains(b);
    }

    /** What is compared, per ABBA block. */
    enum Metric {
        /**
         * CPU time per I/O of a over b's, in % (positive: a costs more), at equal context switches
         * per I/O where the workload hands off ({@link SwitchAdjustment}).
         */
        CPU("cpu_per_io_pct"),
        /** IOPS a lost against b, in % (positive: a is slower). */
        IOPS("iops_lost_pct"),
        /** CPU ns per I/O of a minus b's. */
        CPU_NS("cpu_ns_per_io_delta"),
        /**
         * Context switches per I/O of a over b's, in %: at irqmode=1 how many completions a softirq
         * wake-up finds is the scheduler's answer to each variant's timing ({@link ContextSwitches}).
         */
        SWITCHES("switches_per_io_pct"),
        /** CPU time per I/O of a over b's, in %, as measured (last: the others' seeds stay as they were). */
        CPU_UNADJUSTED("cpu_per_io_pct_unadjusted");

        final String key;

        Metric(String key) {
            this.key = key;
        }

        /** The paired figure of one block, NaN when either side is missing or empty. */
        double of(CompareRound.Run a, CompareRound.Run b) {
            if (a == null || b == null) {
                return Double.NaN;
            }
            switch (this) {
                case CPU:
                case CPU_UNADJUSTED:
                    return 100 * (a.cpuPerIo() / b.cpuPerIo() - 1);
                case IOPS:
                    return b.iops() > 0 ? 100 * (1 - a.iops() / b.iops()) : Double.NaN;
                case SWITCHES:
                    return 100 * (a.switchesPerIo() / b.switchesPerIo() - 1);
                default:
                    return a.cpuPerIo() - b.cpuPerIo();
            }
        }
    }
}
