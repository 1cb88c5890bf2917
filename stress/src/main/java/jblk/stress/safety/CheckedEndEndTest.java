package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.Ownership;
import jblk.safety.RequestRef;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * Two threads end the same {@link RequestRef} in CHECKED mode. r1, r2: each end's outcome; r3: the
 * bio's completion (its status when it completed exactly once); r4: whether the disk's violation
 * counters match the refusals the actors saw.
 */
@JCStressTest
@Description("CHECKED: two threads end the same RequestRef; exactly one ENDED, the bio completes once with the "
        + "winner's status")
@Outcome(id = "ENDED, ALREADY_ENDED, OK, COUNTED", expect = ACCEPTABLE,
        desc = "actor 1 won; actor 2 refused and counted")
@Outcome(id = "ALREADY_ENDED, ENDED, IOERR, COUNTED", expect = ACCEPTABLE,
        desc = "actor 2 won; actor 1 refused and counted")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "double end: the token let both ends through")
@Outcome(id = ".*, COMPLETED_.*, .*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, NOT_COMPLETED, .*", expect = FORBIDDEN, desc = "both ends refused: the request was lost")
@Outcome(id = ".*, MISCOUNT.*", expect = FORBIDDEN, desc = "violation counters do not match the refusals")
@Outcome(expect = FORBIDDEN, desc = "anything else: the winner's status did not reach the bio")
@State
public class CheckedEndEndTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "endend");

    private final Probe p = RIG.issue();

    @Actor
    public void endOk(LLLL_Result r) {
        r.r1 = RIG.seen(p.ref.end(BlkStatus.OK));
    }

    @Actor
    public void endIoerr(LLLL_Result r) {
        r.r2 = RIG.seen(p.ref.end(BlkStatus.IOERR));
    }

    @Arbiter
    public void check(LLLL_Result r) {
        r.r3 = p.completionSummary();
        r.r4 = RIG.countCheck();
    }
}
