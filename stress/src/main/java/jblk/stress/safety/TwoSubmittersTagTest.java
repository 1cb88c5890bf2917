package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
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
 * Two submitters, each on its own software queue, submit a bio at once through the full path
 * (tag allocation, request init, dispatch to the driver). They must get different tags, and each
 * request the driver sees must carry its own bio's fields (the rig may put them on different
 * disks when one fills up; only the same tag on the same disk is a collision). r1, r2: each request's fields as the
 * driver saw them; r3: DISTINCT when the tags differ.
 */
@JCStressTest
@Description("two submitters allocating tags never get the same tag, and each request carries its own bio")
@Outcome(id = "FIELDS_OK, FIELDS_OK, DISTINCT", expect = ACCEPTABLE, desc = "different tags, each request intact")
@Outcome(id = ".*, SAME_TAG", expect = FORBIDDEN, desc = "one tag handed to two submitters")
@Outcome(expect = FORBIDDEN, desc = "a request carried another submitter's fields")
@State
public class TwoSubmittersTagTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "twosub");

    private final Probe a = new Probe(1000);
    private final Probe b = new Probe(2000);

    @Actor
    public void submitA(LLL_Result r) {
        RIG.submit(a);
        r.r1 = fields(a, 1000);
    }

    @Actor
    public void submitB(LLL_Result r) {
        RIG.submit(b);
        r.r2 = fields(b, 2000);
    }

    private static String fields(Probe p, long sector) {
        RequestRef<Cmd> ref = p.ref;
        return ref.sector() == sector && RaceAccess.requestOf(ref).bio() == p.bio && ref.bytes() == 512 ? "FIELDS_OK"
                : "FIELDS_WRONG";
    }

    @Arbiter
    public void check(LLL_Result r) {
        r.r3 = a.lane == b.lane && a.ref.tag() == b.ref.tag() ? "SAME_TAG" : "DISTINCT";
        a.ref.end(BlkStatus.OK);
        b.ref.end(BlkStatus.OK);
    }
}
