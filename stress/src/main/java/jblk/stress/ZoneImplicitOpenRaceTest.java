package jblk.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.ReqOp;
import jblk.nullblk.NullBlkEngine;
import jblk.nullblk.NullbParams;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Two writers race for the last open slot with plain writes (implicit opens): zone_max_open=3,
 * zones 0 and 1 explicitly open, writers into empty zones 2 and 3. The second to take the slot
 * closes the first one's zone implicitly (after that write finished: jblk takes the other zone's
 * lock for it), so both succeed, exactly three zones stay open and one of the two is CLOSED with
 * its data. r1, r2: statuses; r3: "open N, closed M" from the zone report after.
 */
@JCStressTest
@Description("two implicit opens for the last slot under zone_max_open: both write, one zone is closed")
@Outcome(id = "OK, OK, open 3 closed 1", expect = ACCEPTABLE, desc = "one writer closed the other's zone")
@Outcome(id = "OK, OK, open 4.*", expect = FORBIDDEN, desc = "zone_max_open exceeded")
@Outcome(expect = FORBIDDEN, desc = "a write failed, or the accounting disagrees with the zones")
@State
public class ZoneImplicitOpenRaceTest {
    private static final NullbParams PARAMS = NullbParams.parse("zoned=1 size=8 zone_size=1 zone_max_open=3");
    private static final int ZONE_SECTORS = 2048;

    private final NullBlkEngine engine = NullBlkEngine.standalone(PARAMS);
    private final ByteBuffer bufA = ByteBuffer.allocate(4096);
    private final ByteBuffer bufB = ByteBuffer.allocate(4096);

    public ZoneImplicitOpenRaceTest() {
        if (engine.execute(ReqOp.ZONE_OPEN, 0, 0, null) != BlkStatus.OK
                || engine.execute(ReqOp.ZONE_OPEN, ZONE_SECTORS, 0, null) != BlkStatus.OK) {
            throw new IllegalStateException("setting up the open zones failed");
        }
    }

    @Actor
    public void writer1(LLL_Result r) {
        r.r1 = engine.execute(ReqOp.WRITE, 2L * ZONE_SECTORS, 4096, bufA).toString();
    }

    @Actor
    public void writer2(LLL_Result r) {
        r.r2 = engine.execute(ReqOp.WRITE, 3L * ZONE_SECTORS, 4096, bufB).toString();
    }

    @Arbiter
    public void count(LLL_Result r) {
        int[] n = {0, 0};
        engine.reportZones(0, 8, (z, i) -> {
            if (z.cond() == BlkZoneCond.IMP_OPEN || z.cond() == BlkZoneCond.EXP_OPEN) {
                n[0]++;
            } else if (z.cond() == BlkZoneCond.CLOSED && z.wp() == z.start() + 8) {
                n[1]++;
            }
        });
        r.r3 = "open " + n[0] + " closed " + n[1];
    }
}
