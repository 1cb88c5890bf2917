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
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * The token guards the request's writers too, not only its end: a stale handle (its tag was reused
 * since) reports a partial transfer ({@code setBytesDone}) while the tag's new owner ends its own
 * request with an error. The stale write must be refused; if it landed, the new bio would report
 * bytes it never transferred. r1: the new bio's status; r2: its bytes done.
 */
@JCStressTest
@Description("CHECKED: setBytesDone through a stale handle vs the tag's next owner ending with an error")
@Outcome(id = "IOERR, 0", expect = ACCEPTABLE, desc = "the new request reports what its owner set: nothing transferred")
@Outcome(id = "IOERR, 512", expect = FORBIDDEN,
        desc = "the stale handle's setBytesDone reached the tag's new request, whose bio reports 512 bytes it "
                + "never moved")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class StaleHandleBytesDoneTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "stalebd");

    private final Probe old;
    private final Probe next;

    public StaleHandleBytesDoneTest() {
        SafeRig.TagReuse t = RIG.reuseTag();
        old = t.old();
        next = t.next();
    }

    @Actor
    public void staleSetsBytesDone(LL_Result r) {
        old.ref.setBytesDone(512);
    }

    @Actor
    public void ownerEndsWithError(LL_Result r) {
        next.ref.end(BlkStatus.IOERR);
    }

    @Arbiter
    public void check(LL_Result r) {
        r.r1 = next.completionSummary();
        r.r2 = next.bio.bytesDone();
    }
}
