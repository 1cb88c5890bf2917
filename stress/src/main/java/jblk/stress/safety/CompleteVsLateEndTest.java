package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.stress.Await;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * The driver hands a request to the completion context ({@code complete()}) while another of its
 * threads ends it through the same owner handle. Exactly one end must win and the bio complete
 * once. r1: complete(); r2: the other thread's end; r3: the bio; r4: what the complete callback's
 * end got ("-" when the callback never ran).
 *
 * <p>complete() gives the owner handle away (Rust moves the ARef into it): the callback gets a
 * handle of its own, and the driver's old one is refused from then on. So once complete() won, the
 * late end must be refused; an ENDED late end after complete() is the violation this guards.
 */
@JCStressTest
@Description("CHECKED: complete() vs an end through the same handle on another thread; exactly one end wins")
@Outcome(id = "ENDED, ALREADY_ENDED, OK, ENDED", expect = ACCEPTABLE,
        desc = "handed to the completion context first; the late end was refused")
@Outcome(id = "ENDED, STALE, OK, ENDED", expect = ACCEPTABLE,
        desc = "completed and the tag reused before the late end: refused as stale")
@Outcome(id = "ALREADY_ENDED, ENDED, IOERR, -", expect = ACCEPTABLE,
        desc = "the end came first; complete() was refused")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN,
        desc = "use after complete(): the given-away handle ended the request")
@Outcome(id = ".*, COMPLETED_.*, .*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, NOT_COMPLETED, .*", expect = FORBIDDEN, desc = "the request was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class CompleteVsLateEndTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "complend");

    private final Probe p = RIG.issue();

    @Actor
    public void complete(LLLL_Result r) {
        p.ref.data().status = BlkStatus.OK;
        r.r1 = p.ref.complete();
    }

    @Actor
    public void lateEnd(LLLL_Result r) {
        r.r2 = p.ref.end(BlkStatus.IOERR);
    }

    @Arbiter
    public void check(LLLL_Result r) {
        if (r.r1 == EndOutcome.ENDED) {
            Await.until(() -> p.completeEnd != null);
        }
        EndOutcome c = p.completeEnd;
        r.r4 = c == null ? "-" : c.name();
        r.r3 = p.completionSummary();
    }
}
