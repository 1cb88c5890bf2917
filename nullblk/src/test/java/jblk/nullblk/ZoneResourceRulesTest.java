package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.ReqOp;
import org.junit.jupiter.api.Test;

/** The spec's resource rules: active check, open check, implicit close, counters. */
class ZoneResourceRulesTest {
    private static final String DEV = "zoned=1 size=64 zone_size=4";

    @Test
    void activeCheckFailsWithZoneActiveResource() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_active=2");
        r.write(r.start(0), 8);
        r.write(r.start(1), 8);
        r.mgmt(ReqOp.ZONE_CLOSE, 1); // closed zones stay active
        assertEquals(BlkStatus.ZONE_ACTIVE_RESOURCE, r.write(r.start(2), 8));
        assertEquals(BlkZoneCond.EMPTY, r.cond(2));
        assertEquals(r.start(2), r.wp(2));
    }

    @Test
    void activeCheckComesBeforeTheOpenCheckForAnEmptyZone() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_active=2 zone_max_open=2");
        r.mgmt(ReqOp.ZONE_OPEN, 0);
        r.mgmt(ReqOp.ZONE_OPEN, 1);
        // both limits are hit: the active check decides
        assertEquals(BlkStatus.ZONE_ACTIVE_RESOURCE, r.write(r.start(2), 8));
    }

    @Test
    void openCheckFailsWithZoneOpenResourceWhenNoZoneIsImplicitlyOpen() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=2");
        r.mgmt(ReqOp.ZONE_OPEN, 0);
        r.mgmt(ReqOp.ZONE_OPEN, 1);
        assertEquals(BlkStatus.ZONE_OPEN_RESOURCE, r.write(r.start(2), 8));
        assertEquals(BlkStatus.ZONE_OPEN_RESOURCE, r.mgmt(ReqOp.ZONE_OPEN, 2));
        r.assertCounters(0, 2, 0);
    }

    @Test
    void closedZoneNeedsOnlyTheOpenCheck() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_active=2 zone_max_open=2");
        r.write(r.start(0), 8);
        r.mgmt(ReqOp.ZONE_CLOSE, 0);
        r.write(r.start(1), 8);
        r.assertCounters(1, 0, 1); // active 2 = the limit, open 1 of 2
        assertEquals(BlkStatus.ZONE_ACTIVE_RESOURCE, r.write(r.start(2), 8), "an EMPTY zone needs the active check");
        assertEquals(BlkStatus.OK, r.write(r.start(0) + 8, 8), "a CLOSED zone does not");
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(0));
        r.assertCounters(2, 0, 0);
    }

    @Test
    void implicitCloseMakesRoomForANewZone() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=2");
        r.write(r.start(0), 8);
        r.write(r.start(1), 8);
        assertEquals(BlkStatus.OK, r.write(r.start(2), 8));
        assertEquals(BlkZoneCond.CLOSED, r.cond(0), "the first implicitly open zone was closed");
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(1));
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(2));
        r.assertCounters(2, 0, 1);
    }

    @Test
    void implicitCloseIsRoundRobin() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=2");
        r.write(r.start(0), 8);
        r.write(r.start(1), 8);
        r.write(r.start(2), 8); // closes 0
        r.write(r.start(3), 8); // closes 1, the next after 0
        assertEquals(BlkZoneCond.CLOSED, r.cond(0));
        assertEquals(BlkZoneCond.CLOSED, r.cond(1));
        r.write(r.start(0) + 8, 8); // reopens 0, closes 2
        assertEquals(BlkZoneCond.CLOSED, r.cond(2));
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(3));
    }

    @Test
    void implicitCloseSkipsExplicitlyOpenZones() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=2");
        r.mgmt(ReqOp.ZONE_OPEN, 0);
        r.write(r.start(1), 8);
        assertEquals(BlkStatus.OK, r.write(r.start(2), 8));
        assertEquals(BlkZoneCond.EXP_OPEN, r.cond(0));
        assertEquals(BlkZoneCond.CLOSED, r.cond(1));
    }

    @Test
    void implicitlyClosedZoneWithoutDataBecomesEmpty() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=1 badblocks=+0-7");
        assertEquals(BlkStatus.IOERR, r.write(r.start(0), 8), "opened, nothing written");
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(0));
        assertEquals(BlkStatus.OK, r.write(r.start(1), 8));
        assertEquals(BlkZoneCond.EMPTY, r.cond(0), "wp == start: EMPTY, not CLOSED");
        r.assertCounters(1, 0, 0);
    }

    @Test
    void implicitCloseNeedsTheActiveCheckToPass() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_active=2 zone_max_open=1");
        r.write(r.start(0), 8);
        r.mgmt(ReqOp.ZONE_CLOSE, 0);
        r.write(r.start(1), 8);
        r.assertCounters(1, 0, 1); // open 1 of 1, active 2 of 2
        assertEquals(BlkStatus.ZONE_OPEN_RESOURCE, r.write(r.start(0) + 8, 8),
                "no room to open, and the active check fails, so zone 1 is not closed for it");
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(1));
        ZoneRig r3 = new ZoneRig(DEV + " zone_max_active=3 zone_max_open=1");
        r3.write(r3.start(0), 8);
        r3.mgmt(ReqOp.ZONE_CLOSE, 0);
        r3.write(r3.start(1), 8);
        assertEquals(BlkStatus.OK, r3.write(r3.start(0) + 8, 8), "active 2 of 3: zone 1 is closed implicitly");
        assertEquals(BlkZoneCond.CLOSED, r3.cond(1));
        r3.assertCounters(1, 0, 1);
    }

    @Test
    void withoutLimitsNothingIsCounted() {
        ZoneRig r = new ZoneRig(DEV);
        for (int z = 0; z < 16; z++) {
            assertEquals(BlkStatus.OK, r.write(r.start(z), 8));
        }
        r.assertCounters(0, 0, 0);
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(15));
    }
}
