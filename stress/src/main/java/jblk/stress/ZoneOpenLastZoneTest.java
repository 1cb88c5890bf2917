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
import org.openjdk.jcstress.infra.results.LLI_Result;

/**
 * Two writers race to open the last zone null_blk's {@code zone_max_open} allows: zone_max_open=3
 * with zones 0 and 1 explicitly open, one writer opens empty zone 2 explicitly and writes to it,
 * the other does the same with zone 3, each through the zoned engine's command path as two
 * queue_rq on two CPUs would. Every open zone is explicitly open, so no implicit close can make
 * room: exactly one may open its zone; the other gets ZONE_OPEN_RESOURCE. r1, r2: each writer's
 * status (the open's, or the write's after a successful open); r3: open zones in the zone report
 * after. Each state has an engine of its own (a few zones), so samples do not share counters.
 * (With implicit opens both writes succeed, one closing the other's zone: {@link ZoneImplicitOpenRaceTest}.)
 */
@JCStressTest
@Description("two writers opening the last zone under zone_max_open: exactly one wins")
@Outcome(id = "OK, ZONE_OPEN_RESOURCE, 3", expect = ACCEPTABLE, desc = "writer 1 opened the last zone")
@Outcome(id = "ZONE_OPEN_RESOURCE, OK, 3", expect = ACCEPTABLE, desc = "writer 2 opened the last zone")
@Outcome(id = "OK, OK, .*", expect = FORBIDDEN, desc = "both opened: zone_max_open exceeded")
@Outcome(id = "ZONE_OPEN_RESOURCE, ZONE_OPEN_RESOURCE, .*", expect = FORBIDDEN,
        desc = "neither opened: a free slot was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else: an error, or the open count disagrees with the statuses")
@State
public class ZoneOpenLastZoneTest {
    private static final NullbParams PARAMS = NullbParams.parse("zoned=1 size=8 zone_size=1 zone_max_open=3");
    private static final int ZONE_SECTORS = 2048;

    private final NullBlkEngine engine = NullBlkEngine.standalone(PARAMS);
    private final ByteBuffer bufA = ByteBuffer.allocate(4096);
    private final ByteBuffer bufB = ByteBuffer.allocate(4096);

    public ZoneOpenLastZoneTest() {
        check(engine.execute(ReqOp.ZONE_OPEN, 0, 0, null));
        check(engine.execute(ReqOp.ZONE_OPEN, ZONE_SECTORS, 0, null));
    }

    private static void check(BlkStatus st) {
        if (st != BlkStatus.OK) {
            throw new IllegalStateException("setting up the open zones failed: " + st);
        }
    }

    @Actor
    public void writer1(LLI_Result r) {
        r.r1 = openAndWrite(2, bufA);
    }

    @Actor
    public void writer2(LLI_Result r) {
        r.r2 = openAndWrite(3, bufB);
    }

    private String openAndWrite(int zone, ByteBuffer buf) {
        BlkStatus st = engine.execute(ReqOp.ZONE_OPEN, zone * (long) ZONE_SECTORS, 0, null);
        if (st == BlkStatus.OK) {
            st = engine.execute(ReqOp.WRITE, zone * (long) ZONE_SECTORS, 4096, buf);
        }
        return st.toString();
    }

    @Arbiter
    public void count(LLI_Result r) {
        int[] open = {0};
        engine.reportZones(0, 8, (z, i) -> {
            if (z.cond() == BlkZoneCond.IMP_OPEN || z.cond() == BlkZoneCond.EXP_OPEN) {
                open[0]++;
            }
        });
        r.r3 = open[0];
    }
}
