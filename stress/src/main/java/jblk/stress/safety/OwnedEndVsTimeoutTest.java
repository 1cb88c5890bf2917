package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.Ownership;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Issue 11's end vs timeout under OWNED: the driver ends a request while actor 2 runs the timeout
 * scanner's expiry step (whose handler ends it with TIMEOUT). r1: the driver's end; r2: what the
 * expiry did; r3: the bio's completion (when nobody ended it, the arbiter's retry of the driver's
 * end, so the rig's tag is not lost).
 */
@JCStressTest
@Description("OWNED: the driver holds the Owned: the timeout handler may look but not end")
@Outcome(id = "ENDED, NOT_EXPIRED, OK", expect = ACCEPTABLE, desc = "ended before the scanner marked it")
@Outcome(id = "ENDED, SHARED, OK", expect = ACCEPTABLE, desc = "the handler was refused: the driver holds its Owned")
@Outcome(id = "ENDED, ALREADY_ENDED, OK", expect = ACCEPTABLE, desc = "the handler ran after the end and was refused")
@Outcome(id = "ENDED, HANDLER_SKIPPED, OK", expect = ACCEPTABLE, desc = "marked, the end won before the handler")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "both ended the request")
@Outcome(id = ".*, .*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class OwnedEndVsTimeoutTest extends StrategyRace {
    private static final SafeRig RIG = SafeRig.create(Ownership.OWNED, "owtmo");

    public OwnedEndVsTimeoutTest() {
        super(RIG);
    }

    @Actor
    public void driverEnds(LLL_Result r) {
        r.r1 = end(BlkStatus.OK);
    }

    @Actor
    public void expires(LLL_Result r) {
        r.r2 = expire();
    }

    @Arbiter
    public void check(LLL_Result r) {
        r.r3 = completionAfterRetry();
    }
}
