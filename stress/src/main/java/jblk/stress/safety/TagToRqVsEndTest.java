package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;
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
 * {@code TagSet.tagToRq} (a lookup by tag, as a driver's interrupt handler does) races the owner's
 * end. The lookup returns null once the request is ended, or a counted reference to this very
 * issue (same generation) that keeps the owner's end from freeing the request under it (SHARED);
 * after release, the owner's retry ends it. r1: the owner's end; r2: the lookup; r3: the retry
 * ("-" if none); r4: the bio.
 */
@JCStressTest
@Description("CHECKED: tagToRq vs end; the lookup gets null or a live reference of the same issue, never a lost "
        + "request")
@Outcome(id = "ENDED, NULL, -, OK", expect = ACCEPTABLE, desc = "ended first; the lookup found no live request")
@Outcome(id = "ENDED, REF_RELEASED, -, OK", expect = ACCEPTABLE, desc = "looked up and released before the end")
@Outcome(id = "SHARED, REF_RELEASED, ENDED, OK", expect = ACCEPTABLE,
        desc = "the lookup's reference refused the end; the retry ended it")
@Outcome(id = ".*, WRONG_GENERATION, .*", expect = FORBIDDEN, desc = "the lookup returned a handle of another issue")
@Outcome(id = ".*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(expect = FORBIDDEN, desc = "anything else: the request was lost or the lookup misbehaved")
@State
public class TagToRqVsEndTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "tagtorq");

    private final Probe p = RIG.issue();
    private final int tag = p.ref.tag();
    private final long gen = p.ref.generation();

    @Actor
    public void owner(LLLL_Result r) {
        r.r1 = RIG.seen(p.ref.end(BlkStatus.OK));
    }

    @Actor
    public void lookup(LLLL_Result r) {
        RequestRef<Cmd> x = p.lane.set.tagToRq(0, tag);
        if (x == null) {
            r.r2 = "NULL";
        } else if (x.generation() != gen) {
            r.r2 = "WRONG_GENERATION";
            x.release();
        } else {
            r.r2 = x.release() ? "REF_RELEASED" : "RELEASE_REFUSED";
        }
    }

    @Arbiter
    public void check(LLLL_Result r) {
        r.r3 = r.r1 == EndOutcome.ENDED ? "-" : RIG.seen(p.ref.end(BlkStatus.OK));
        r.r4 = p.completionSummary();
    }
}
