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
 * The driver ends a request while it expires: actor 2 performs the timeout scanner's expiry step
 * (CAS TIMED_OUT, then the vtable's timeout callback, whose driver handler ends the request with
 * TIMEOUT through its borrowed handle). r1: the driver's end; r2: what the expiry did; r3: the
 * bio's completion status.
 */
@JCStressTest
@Description("CHECKED: end vs the timeout handler's end; exactly one wins and the bio completes once with its status")
@Outcome(id = "ENDED, NOT_EXPIRED, OK", expect = ACCEPTABLE, desc = "ended before the scanner marked it")
@Outcome(id = "ENDED, HANDLER_SKIPPED, OK", expect = ACCEPTABLE,
        desc = "marked, but the vtable saw the end win and skipped the handler")
@Outcome(id = "ENDED, ALREADY_ENDED, OK", expect = ACCEPTABLE, desc = "the handler ran and was refused: the end won")
@Outcome(id = "ALREADY_ENDED, ENDED, TIMEOUT", expect = ACCEPTABLE,
        desc = "the timeout handler won; the driver's end was refused")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "both ended the request")
@Outcome(id = ".*, .*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, .*, NOT_COMPLETED", expect = FORBIDDEN, desc = "nobody ended the request")
@Outcome(expect = FORBIDDEN, desc = "anything else: the bio's status is not the winner's")
@State
public class EndVsTimeoutTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "endtmo");

    private final Probe p = RIG.issue();

    @Actor
    public void driverEnds(LLL_Result r) {
        r.r1 = RIG.seen(p.ref.end(BlkStatus.OK));
    }

    @Actor
    public void expires(LLL_Result r) {
        r.r2 = RIG.expire(p);
    }

    @Arbiter
    public void check(LLL_Result r) {
        r.r3 = p.completionSummary();
    }
}
