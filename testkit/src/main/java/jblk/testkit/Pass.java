package jblk.testkit;

/**
 * The kit's passes. Each builds a fresh driver, tag set and disk, runs the seeded workload from
 * several submitters over several hw queues, checks every bio and every byte read, and ends with
 * the leak check at close.
 */
public enum Pass {
    /** Data verification of every claimed op, nothing injected; the driver's own ends are never refused. */
    DATA("data"),
    /** The same with requeues, busy returns (RESOURCE) and lost requests (ended by the timeout) injected. */
    FAULTS("faults"),
    /**
     * A buggy wrapper ends, completes and requeues through handles of finished requests: each must be refused and
     * counted.
     */
    BUGGY("buggy-wrapper");

    private final String label;

    Pass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
