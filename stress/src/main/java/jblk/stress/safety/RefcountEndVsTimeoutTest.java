package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
 * Issue 11's end vs timeout under REFCOUNT: the driver ends a request while actor 2 runs the timeout
 * scanner's expiry step (whose handler ends it with TIMEOUT). r1: the driver's end; r2: what the
 * expiry did; r3: the bio's completion (when nobody ended it, the arbiter's retry of the driver's
 * end, so the rig's tag is not lost).
 */
@JCStressTest
@Description("REFCOUNT: the timeout handler holds an ARef (count 3): its CAS 2 -> 0 always fails while the driver"
        + " holds its own")
@Outcome(id = "ENDED, NOT_EXPIRED, OK", expect = ACCEPTABLE, desc = "ended before the scanner marked it")
@Outcome(id = "ENDED, SHARED, OK", expect = ACCEPTABLE,
        desc = "the handler was refused (the driver still holds its ARef); the end won")
@Outcome(id = "ENDED, HANDLER_SKIPPED, OK", expect = ACCEPTABLE,
        desc = "marked, but the count was 0: the end won first")
@Outcome(id = "SHARED, SHARED, RETRY_ENDED_OK", expect = ACCEPTABLE_INTERESTING,
        desc = "both refused: the end came while the handler held its reference; exactly once still, but the"
                + " request is ended only when the driver retries (a liveness cost of the token)")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "both ended the request")
@Outcome(id = ".*, .*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class RefcountEndVsTimeoutTest extends StrategyRace {
    private static final SafeRig RIG = SafeRig.create(Ownership.REFCOUNT, "rctmo");

    public RefcountEndVsTimeoutTest() {
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
