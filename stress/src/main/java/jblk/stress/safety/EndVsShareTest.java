package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.safety.OwnershipException;
import jblk.safety.RequestRef;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * The owner ends a request while another thread takes a second reference ({@code share()}, the
 * ARef clone) and releases it. An end while the share is outstanding is refused SHARED and must
 * change nothing: after the release the owner's retry ends it. r1: the owner's end; r2: the
 * sharer's result; r3: the owner's retry after a refusal ("-" if none was needed); r4: the bio.
 */
@JCStressTest
@Description("CHECKED: end vs share()/release(); a SHARED refusal never loses the request")
@Outcome(id = "ENDED, ALREADY_ENDED, -, OK", expect = ACCEPTABLE, desc = "ended first; share() refused")
@Outcome(id = "ENDED, SHARED_AND_RELEASED, -, OK", expect = ACCEPTABLE, desc = "shared and released before the end")
@Outcome(id = "SHARED, SHARED_AND_RELEASED, ENDED, OK", expect = ACCEPTABLE,
        desc = "end refused while shared; the retry after release ended it")
@Outcome(id = "SHARED, .*, (-|SHARED|ALREADY_ENDED|STALE), .*", expect = FORBIDDEN,
        desc = "the SHARED refusal lost the request")
@Outcome(id = ".*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, NOT_COMPLETED", expect = FORBIDDEN, desc = "the request was never ended")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class EndVsShareTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "endshare");

    private final Probe p = RIG.issue();

    @Actor
    public void owner(LLLL_Result r) {
        r.r1 = RIG.seen(p.ref.end(BlkStatus.OK));
    }

    @Actor
    public void sharer(LLLL_Result r) {
        RequestRef<Cmd> s;
        try {
            s = p.ref.share();
        } catch (OwnershipException e) {
            r.r2 = RIG.seen(e.outcome());
            return;
        }
        r.r2 = s.release() ? "SHARED_AND_RELEASED" : "RELEASE_REFUSED";
    }

    @Arbiter
    public void check(LLLL_Result r) {
        r.r3 = r.r1 == EndOutcome.ENDED ? "-" : RIG.seen(p.ref.end(BlkStatus.OK));
        r.r4 = p.completionSummary();
    }
}
