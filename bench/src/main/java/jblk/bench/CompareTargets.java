package jblk.bench;

/**
 * The targets {@code ./jblk compare} judges against, in one table: the verdicts read their limits
 * from here and {@code --help} prints the same rows ({@code HELP_*}, compile-time constants built
 * from the limits), so what a user is told and what is checked cannot drift apart. The limits are
 * the project's goals for the safe bindings; docs/PERFORMANCE.md explains each one.
 */
final class CompareTargets {
    /** Checked vs off on the asynchronous workloads (softirq, memory-backed): CPU per I/O, in %. */
    static final int CHECKED_PCT = 2;
    /** The aim below that target, in %. */
    static final int CHECKED_AIM_PCT = 1;
    /** One uncontended CAS on a quiet machine: checked's budget per request at irqmode=0, in ns. */
    static final double ATOMIC_NS = 4.5;
    /** raw null_blk, irqmode=0, one job: ns per request of the block layer alone (JMH NullBlkBench.oneJob). */
    static final int RAW_NS = 35;
    /** 2 jobs on 2 hardware queues vs 1 job, raw, irqmode=0: IOPS ratio. */
    static final double SCALING = 1.8;
    /** Bytes allocated per I/O with ownership off. */
    static final int OFF_ALLOC_B = 0;

    /** The table as --help shows it (picocli format: %% is a percent sign). */
    static final String HELP_HEAD = "Targets (what the verdicts judge against):";
    static final String HELP_CHECKED = "  checked vs off, softirq/memory-backed: CPU per I/O +" + CHECKED_PCT
            + "%% at most (aim " + CHECKED_AIM_PCT + "%%)";
    static final String HELP_INLINE = "  checked vs off, irqmode=0: one atomic (~" + ATOMIC_NS
            + " ns) of CPU per request at most";
    static final String HELP_RAW = "  raw, irqmode=0, 1 job: < " + RAW_NS + " ns per request, block layer alone"
            + " (JMH oneJob)";
    static final String HELP_SCALING = "  raw, irqmode=0: 2 jobs >= " + SCALING + "x the IOPS of 1 job";
    static final String HELP_ALLOC = "  ownership off: " + OFF_ALLOC_B + " bytes allocated per I/O";
    static final String HELP_NONE = "  off vs raw, debug vs off: no target; reported with their intervals";

    private CompareTargets() {
    }
}
