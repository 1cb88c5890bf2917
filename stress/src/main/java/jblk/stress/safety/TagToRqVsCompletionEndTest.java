package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.safety.RequestRef;
import jblk.safety.race.RaceAccess;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * {@code TagSet.tagToRq} (a driver's interrupt handler looking the tag up) races the complete
 * callback's end. Defect 1 of issue 10, second form: a lookup taken after complete() used to get a
 * counted reference that refused the callback's end (SHARED) and left the request unendable. Now
 * the completion phase belongs to the callback's handle: the lookup gets null, and a lookup handle
 * can never end the request.
 *
 * <p>Each sample's request has been handed over by complete()'s own transition (COMPLETE, the
 * reference moved to the completion context) without raising the softirq; the {@code callback}
 * actor is the completion context: it calls the binding's real complete callback, as
 * {@code BlkMq.callComplete} does, and the capture driver's callback ends the request. r1: what
 * the callback's end got; r2: the lookup ({@code NULL}, or {@code REF_} and what its end got, or
 * {@code OTHER_ISSUE} when the tag was already reused by another sample); r3: the bio.
 */
@JCStressTest
@Description("CHECKED: tagToRq vs the complete callback's end; the callback always ends the request, the lookup "
        + "never does")
@Outcome(id = "ENDED, NULL, OK", expect = ACCEPTABLE, desc = "the lookup found the request completing (or ended): null")
@Outcome(id = "ENDED, OTHER_ISSUE, OK", expect = ACCEPTABLE_INTERESTING,
        desc = "ended and the tag reused by another sample before the lookup, which got that issue (released unused)")
@Outcome(id = "SHARED, .*", expect = FORBIDDEN,
        desc = "the trap: the lookup's reference held the callback's end back, the request can never end")
@Outcome(id = ".*, REF_ENDED, .*", expect = FORBIDDEN, desc = "a lookup handle ended a request the callback owns")
@Outcome(id = ".*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, NOT_COMPLETED", expect = FORBIDDEN, desc = "the bio never completed: the request was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class TagToRqVsCompletionEndTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "tagtorqcb");

    private final Probe p = RIG.issue();
    private final RequestRef<Cmd> owner = p.ref;

    public TagToRqVsCompletionEndTest() {
        p.ref.data().status = BlkStatus.OK;
        // complete()'s transition, without raising the softirq: the callback actor plays it. A
        // lookup of another sample may hold a reference to this tag for a moment (SHARED): retry.
        while (!RaceAccess.moveToComplete(owner)) {
            Thread.onSpinWait();
        }
    }

    @Actor
    public void callback(LLL_Result r) {
        RaceAccess.callComplete(p.lane.set, RaceAccess.requestOf(owner));
        EndOutcome c = p.completeEnd; // set by the capture driver's callback before complete returns
        r.r1 = c == null ? "NOT_DELIVERED" : c;
    }

    @Actor
    public void lookup(LLL_Result r) {
        RequestRef<Cmd> x = p.lane.set.tagToRq(0, owner.tag());
        if (x == null) {
            r.r2 = "NULL";
        } else if (x.generation() != owner.generation()) {
            x.release(); // another sample's request: a driver must not end it
            r.r2 = "OTHER_ISSUE";
        } else {
            r.r2 = "REF_" + x.end(BlkStatus.IOERR);
            x.release();
        }
    }

    @Arbiter
    public void check(LLL_Result r) {
        r.r3 = p.completionSummary();
    }
}
