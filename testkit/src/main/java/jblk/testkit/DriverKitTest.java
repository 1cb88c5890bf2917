package jblk.testkit;

import org.junit.jupiter.api.Test;

/**
 * The kit's JUnit entry point: a driver's test extends this class, returns its factory from
 * {@link #driver()} and, to claim more ops or change settings, overrides {@link #config}. Each
 * pass is one test; a failure's message is the kit's report (what went wrong, on which request,
 * the seed to replay with {@code -Djblk.testkit.seed=N}).
 *
 * <pre>{@code
 * class RamDiskKitTest extends DriverKitTest {
 *     protected DriverFactory driver() { return bytes -> new RamDisk((int) bytes); }
 * }
 * }</pre>
 */
public abstract class DriverKitTest {
    /** For subclasses: JUnit instantiates the driver's test class. */
    protected DriverKitTest() {
    }

    /** The driver under test: called once per pass for a fresh instance. */
    protected abstract DriverFactory driver();

    /** Settings for every pass: override to claim ops ({@code b.ops(ReqOp.FLUSH, ...)}) or resize the run. */
    protected KitConfig.Builder config(KitConfig.Builder b) {
        return b;
    }

    /** Runs one pass and prints its report; throws with the report when a check failed. */
    protected KitReport runPass(Pass pass) {
        KitConfig.Builder b = KitConfig.builder().driverName(getClass().getSimpleName());
        KitReport r = DriverKit.run(driver(), config(b).passes(pass).build());
        System.out.print(r.text());
        r.assertPassed();
        return r;
    }

    @Test
    public void dataVerification() {
        runPass(Pass.DATA);
    }

    @Test
    public void injectedRequeuesAndTimeouts() {
        runPass(Pass.FAULTS);
    }

    @Test
    public void buggyWrapperIsRefusedAndCounted() {
        runPass(Pass.BUGGY);
    }
}
