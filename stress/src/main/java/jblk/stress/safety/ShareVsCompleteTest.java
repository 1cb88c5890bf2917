package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.safety.OwnershipException;
import jblk.safety.RequestRef;
import jblk.stress.Await;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * The owner hands its request to the completion context ({@code complete()}) while another of the
 * driver's threads takes a share through the same owner handle and releases it. This is defect 1
 * of issue 10: a share taken after complete() used to hold the complete callback's end back
 * (SHARED), and once released nothing could end the request any more. Now complete() gives the
 * owner's handle away, so a later share is refused; a share taken first makes complete() refuse
 * SHARED (nothing changed), and the owner ends the request after the release.
 *
 * <p>r1: complete(); r2: the sharer ({@code SHARED_AND_RELEASED} or share()'s refusal); r3: the
 * complete callback's end ({@code CB_...}) when complete() won, else the owner's end after the
 * release ({@code RETRY_...}); r4: the bio.
 */
@JCStressTest
@Description("CHECKED: complete() vs share()/release() through the owner's handle; the request always ends "
        + "exactly once")
@Outcome(id = "ENDED, ALREADY_ENDED, CB_ENDED, OK", expect = ACCEPTABLE,
        desc = "handed over first; the share was refused (the handle was given away); the callback ended it")
@Outcome(id = "ENDED, SHARED_AND_RELEASED, CB_ENDED, OK", expect = ACCEPTABLE,
        desc = "shared and released before complete(); the callback ended it")
@Outcome(id = "SHARED, SHARED_AND_RELEASED, RETRY_ENDED, OK", expect = ACCEPTABLE,
        desc = "complete() refused while the share was out (nothing changed); the owner's end after the release "
                + "ended it")
@Outcome(id = ".*, CB_SHARED, .*", expect = FORBIDDEN,
        desc = "the trap: a share taken after complete() held the callback's end back, the request can never end")
@Outcome(id = ".*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, NOT_COMPLETED", expect = FORBIDDEN, desc = "the bio never completed: the request was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ShareVsCompleteTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "sharecompl");

    private final Probe p = RIG.issue();

    @Actor
    public void complete(LLLL_Result r) {
        p.ref.data().status = BlkStatus.OK;
        r.r1 = p.ref.complete();
    }

    @Actor
    public void sharer(LLLL_Result r) {
        RequestRef<Cmd> s;
        try {
            s = p.ref.share();
        } catch (OwnershipException e) {
            r.r2 = e.outcome();
            return;
        }
        r.r2 = s.release() ? "SHARED_AND_RELEASED" : "RELEASE_REFUSED";
    }

    @Arbiter
    public void check(LLLL_Result r) {
        if (r.r1 == EndOutcome.ENDED) {
            // The callback runs on the softirq thread; its end completes the bio before it stores
            // what it got, so once completeEnd is set the bio's fate is known.
            Await.until(() -> p.completeEnd != null);
            EndOutcome c = p.completeEnd;
            r.r3 = c == null ? "CB_NEVER_RAN" : "CB_" + c;
        } else {
            r.r3 = "RETRY_" + p.ref.end(BlkStatus.OK);
        }
        r.r4 = p.completionSummary();
    }
}
