package jblk.stress.blockcore;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.sbitmap.SBitmapQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two submitters allocate from the same two-tag {@link SBitmapQueue} word with the same hint (the
 * worst case: both pick the same candidate bit and one CAS must lose). r1, r2: the tags; r3: the
 * bitmap's weight afterwards.
 */
@JCStressTest
@Description("SBitmapQueue.get from two threads with one hint: never the same tag twice")
@Outcome(id = {"0, 1, 2", "1, 0, 2"}, expect = ACCEPTABLE, desc = "distinct tags, both bits set")
@Outcome(id = {"0, 0, .*", "1, 1, .*"}, expect = FORBIDDEN, desc = "the same tag handed out twice")
@Outcome(expect = FORBIDDEN, desc = "an allocation failed with a tag free, or the bitmap is inconsistent")
@State
public class SBitmapGetTest {
    private final SBitmapQueue sb = new SBitmapQueue(2);

    @Actor
    public void submitter1(III_Result r) {
        r.r1 = sb.get(0);
    }

    @Actor
    public void submitter2(III_Result r) {
        r.r2 = sb.get(0);
    }

    @Arbiter
    public void check(III_Result r) {
        r.r3 = sb.weight();
    }
}
