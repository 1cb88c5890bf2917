package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Issue 11's racing double end under OWNED: two threads end the same {@link RequestRef}. r1, r2:
 * each end's outcome (ASSERTION when blockcore's -ea check fired); r3: the bio's completion.
 */
@JCStressTest
@Description("OWNED: one Owned handle used from two threads: Rust forbids it at compile time; Java checks a plain flag")
@Outcome(id = "ENDED, ALREADY_ENDED, OK", expect = ACCEPTABLE, desc = "actor 1 won; actor 2 refused")
@Outcome(id = "ALREADY_ENDED, ENDED, IOERR", expect = ACCEPTABLE, desc = "actor 2 won; actor 1 refused")
@Outcome(id = "(ENDED|ASSERTION), (ENDED|ASSERTION), .*", expect = ACCEPTABLE_INTERESTING,
        desc = "corrupted: both passed the plain consumed flag and ended the request (the bio completes"
                + " twice, or blockcore's -ea check fires); the typestate's promise needs Rust's move checking")
@Outcome(id = ".*, NOT_COMPLETED", expect = FORBIDDEN, desc = "both ends refused: the request was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class OwnedEndEndTest extends StrategyRace {
    private static final SafeRig RIG = SafeRig.create(Ownership.OWNED, "owendend");

    public OwnedEndEndTest() {
        super(RIG);
    }

    @Actor
    public void endOk(LLL_Result r) {
        r.r1 = endOrAssertion(BlkStatus.OK);
        repairDoublePut(p.ref); // both ends may pass the plain flag: rq->ref at -1 would corrupt later samples
    }

    @Actor
    public void endIoerr(LLL_Result r) {
        r.r2 = endOrAssertion(BlkStatus.IOERR);
        repairDoublePut(p.ref);
    }

    @Arbiter
    public void check(LLL_Result r) {
        r.r3 = completion();
    }
}
