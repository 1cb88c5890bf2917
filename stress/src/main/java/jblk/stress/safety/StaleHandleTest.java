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
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * A stale handle (its request was ended and the tag handed to a new request since) is used to end
 * the request while the tag's new owner ends its own. r1: the stale end; r2: the new owner's end;
 * r3: the new bio's completion (it must carry the new owner's OK, not the stale IOERR); r4: the old
 * bio's completion count (it must stay 1).
 */
@JCStressTest
@Description("CHECKED: a stale handle's end races the tag's next owner; the stale end is refused, the owner's wins")
@Outcome(id = "STALE, ENDED, OK, 1", expect = ACCEPTABLE,
        desc = "stale end refused by generation; the new owner ended its request")
@Outcome(id = "ENDED, .*", expect = FORBIDDEN, desc = "a stale handle ended the tag's new request")
@Outcome(expect = FORBIDDEN, desc = "anything else: the new request was disturbed by the stale handle")
@State
public class StaleHandleTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "stale");

    private final Probe old;
    private final Probe next;

    public StaleHandleTest() {
        SafeRig.TagReuse t = RIG.reuseTag();
        old = t.old();
        next = t.next();
    }

    @Actor
    public void staleEnd(LLLL_Result r) {
        r.r1 = RIG.seen(old.ref.end(BlkStatus.IOERR));
    }

    @Actor
    public void ownerEnd(LLLL_Result r) {
        r.r2 = RIG.seen(next.ref.end(BlkStatus.OK));
    }

    @Arbiter
    public void check(LLLL_Result r) {
        r.r3 = next.completionSummary();
        r.r4 = old.completions();
    }
}
