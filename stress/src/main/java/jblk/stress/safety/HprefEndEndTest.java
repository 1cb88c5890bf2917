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
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Issue 11's racing double end under HPREF: two threads end the same {@link RequestRef}. r1, r2:
 * each end's outcome (ASSERTION when blockcore's -ea check fired); r3: the bio's completion.
 */
@JCStressTest
@Description("HPREF: the CAS of rq->ref 1 -> 0 decides: exactly one end wins")
@Outcome(id = "ENDED, ALREADY_ENDED, OK", expect = ACCEPTABLE, desc = "actor 1 won; actor 2 refused")
@Outcome(id = "ALREADY_ENDED, ENDED, IOERR", expect = ACCEPTABLE, desc = "actor 2 won; actor 1 refused")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "double end: the CAS of rq->ref let both through")
@Outcome(id = ".*, NOT_COMPLETED", expect = FORBIDDEN, desc = "both ends refused: the request was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class HprefEndEndTest extends StrategyRace {
    private static final SafeRig RIG = SafeRig.create(Ownership.HPREF, "hpendend");

    public HprefEndEndTest() {
        super(RIG);
    }

    @Actor
    public void endOk(LLL_Result r) {
        r.r1 = endOrAssertion(BlkStatus.OK);
    }

    @Actor
    public void endIoerr(LLL_Result r) {
        r.r2 = endOrAssertion(BlkStatus.IOERR);
    }

    @Arbiter
    public void check(LLL_Result r) {
        r.r3 = completion();
    }
}
