package jblk.testkit;

import java.util.StringJoiner;
import jblk.blockcore.ReqOp;

/**
 * The driver test kit: runs any safe driver ({@link jblk.safety.Operations}) through jblk's checks,
 * as the torture run does for null_blk. For each {@link Pass} it builds a fresh driver from the
 * factory, puts it behind the kit's wrapper on a tag set with several hw queues, and runs a seeded
 * random workload from several submitters: data verification of every claimed op with per-write
 * sequence numbers (a lost or stale write is caught), injected requeues and timeouts, a buggy
 * wrapper whose misuses must be refused and counted, and a leak check at close.
 *
 * <pre>{@code
 * KitReport r = DriverKit.run(bytes -> new RamDisk((int) bytes),
 *         KitConfig.builder().ops(ReqOp.FLUSH, ReqOp.DISCARD).build());
 * r.assertPassed(); // or extend DriverKitTest
 * }</pre>
 */
public final class DriverKit {
    private DriverKit() {
    }

    /** Runs every pass with the default settings (seed from {@code -Djblk.testkit.seed}, else random). */
    public static KitReport run(DriverFactory factory) {
        return run(factory, KitConfig.builder().build());
    }

    /** Runs the configured passes; the report says what failed, on which request, and the seed to replay. */
    public static KitReport run(DriverFactory factory, KitConfig c) {
        if (factory == null) {
            throw new IllegalArgumentException("driver factory must not be null");
        }
        KitReport report = new KitReport(c.seed);
        StringJoiner ops = new StringJoiner(" ");
        for (ReqOp op : c.ops) {
            ops.add(op.name());
        }
        report.line("jblk testkit: " + c.driverName + ", seed " + c.seed + ", ownership " + c.ownership + ", "
                + c.submitters + " submitters, " + c.hwQueues + " hw queues x " + c.queueDepth + " tags, "
                + c.capacitySectors + " sectors, " + c.iosPerSubmitter + " I/Os per submitter and pass, ops " + ops);
        report.line("  replay: seed " + c.seed + " (workload " + Workload.fingerprint(c.seed, c) + "): -D"
                + KitConfig.SEED_PROPERTY + "=" + c.seed + " in a JUnit test, --seed " + c.seed
                + " for ./jblk torture --driver-class");
        for (Pass p : c.passes) {
            new PassRun(c, p, factory, report).run();
        }
        report.finish();
        return report;
    }
}
