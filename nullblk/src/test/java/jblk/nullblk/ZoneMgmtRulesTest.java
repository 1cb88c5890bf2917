package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.ReqOp;
import org.junit.jupiter.api.Test;

/** The spec's management rules ({@code null_zone_mgmt}): each op from each state. */
class ZoneMgmtRulesTest {
    private static final String DEV = "zoned=1 size=64 zone_size=4 zone_nr_conv=1";
    private static final String RES = DEV + " zone_max_open=4 zone_max_active=6";

    /** Zone 1 EMPTY, 2 IMP_OPEN, 3 EXP_OPEN, 4 CLOSED, 5 FULL, 6 READONLY, 7 OFFLINE. */
    private static ZoneRig states(String params) {
        ZoneRig r = new ZoneRig(params);
        r.write(r.start(2), 8);
        r.mgmt(ReqOp.ZONE_OPEN, 3);
        r.write(r.start(4), 8);
        r.mgmt(ReqOp.ZONE_CLOSE, 4);
        r.mgmt(ReqOp.ZONE_FINISH, 5);
        r.dev.setZoneCond("zone_readonly", r.start(6), BlkZoneCond.READONLY);
        r.dev.setZoneCond("zone_offline", r.start(7), BlkZoneCond.OFFLINE);
        assertEquals(BlkZoneCond.EMPTY, r.cond(1));
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(2));
        assertEquals(BlkZoneCond.EXP_OPEN, r.cond(3));
        assertEquals(BlkZoneCond.CLOSED, r.cond(4));
        assertEquals(BlkZoneCond.FULL, r.cond(5));
        assertEquals(BlkZoneCond.READONLY, r.cond(6));
        assertEquals(BlkZoneCond.OFFLINE, r.cond(7));
        return r;
    }

    @Test
    void resetAllResetsEverySequentialZoneButReadonlyAndOffline() {
        ZoneRig r = states(RES);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_RESET_ALL, 0));
        for (int z = 1; z <= 5; z++) {
            assertEquals(BlkZoneCond.EMPTY, r.cond(z), "zone " + z);
            assertEquals(r.start(z), r.wp(z));
        }
        assertEquals(BlkZoneCond.READONLY, r.cond(6));
        assertEquals(BlkZoneCond.OFFLINE, r.cond(7));
        assertEquals(BlkZoneCond.NOT_WP, r.cond(0));
        r.assertCounters(0, 0, 0);
    }

    @Test
    void singleZoneOpsOnReadonlyOrOfflineFailWithIoerr() {
        ZoneRig r = states(RES);
        for (ReqOp op : new ReqOp[] {ReqOp.ZONE_OPEN, ReqOp.ZONE_CLOSE, ReqOp.ZONE_FINISH, ReqOp.ZONE_RESET}) {
            assertEquals(BlkStatus.IOERR, r.mgmt(op, 6), op + " on READONLY");
            assertEquals(BlkStatus.IOERR, r.mgmt(op, 7), op + " on OFFLINE");
        }
    }

    @Test
    void singleZoneOpsOnConventionalZonesFailWithIoerr() {
        ZoneRig r = new ZoneRig(DEV);
        for (ReqOp op : new ReqOp[] {ReqOp.ZONE_OPEN, ReqOp.ZONE_CLOSE, ReqOp.ZONE_FINISH, ReqOp.ZONE_RESET}) {
            assertEquals(BlkStatus.IOERR, r.mgmt(op, 0), op.toString());
        }
    }

    @Test
    void openFromEachState() {
        ZoneRig r = states(RES);
        r.assertCounters(1, 1, 1);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_OPEN, 3), "EXP_OPEN: a no-op");
        r.assertCounters(1, 1, 1);
        assertEquals(BlkStatus.IOERR, r.mgmt(ReqOp.ZONE_OPEN, 5), "FULL");
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_OPEN, 2), "IMP_OPEN: imp--, exp++");
        r.assertCounters(0, 2, 1);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_OPEN, 4), "CLOSED: resources, closed--, exp++");
        r.assertCounters(0, 3, 0);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_OPEN, 1), "EMPTY: resources, exp++");
        r.assertCounters(0, 4, 0);
        for (int z = 1; z <= 4; z++) {
            assertEquals(BlkZoneCond.EXP_OPEN, r.cond(z));
        }
        assertEquals(BlkStatus.ZONE_OPEN_RESOURCE, r.mgmt(ReqOp.ZONE_OPEN, 8), "EMPTY beyond zone_max_open");
    }

    @Test
    void openWithoutResourceAccountingJustOpens() {
        ZoneRig r = states(DEV);
        for (int z = 1; z <= 4; z++) {
            assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_OPEN, z));
            assertEquals(BlkZoneCond.EXP_OPEN, r.cond(z));
        }
        assertEquals(BlkStatus.IOERR, r.mgmt(ReqOp.ZONE_OPEN, 5), "FULL");
        r.assertCounters(0, 0, 0);
    }

    @Test
    void closeFromEachState() {
        ZoneRig r = states(RES);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_CLOSE, 4), "CLOSED: a no-op");
        assertEquals(BlkStatus.IOERR, r.mgmt(ReqOp.ZONE_CLOSE, 1), "EMPTY");
        assertEquals(BlkStatus.IOERR, r.mgmt(ReqOp.ZONE_CLOSE, 5), "FULL");
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_CLOSE, 2), "IMP_OPEN with data: CLOSED");
        assertEquals(BlkZoneCond.CLOSED, r.cond(2));
        r.assertCounters(0, 1, 2);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_CLOSE, 3), "EXP_OPEN without data: EMPTY");
        assertEquals(BlkZoneCond.EMPTY, r.cond(3));
        r.assertCounters(0, 0, 2);
    }

    @Test
    void finishFromEachStateWithResourceAccounting() {
        ZoneRig r = states(RES);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, 5), "FULL: a no-op");
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, 2), "IMP_OPEN");
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, 3), "EXP_OPEN");
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, 4), "CLOSED");
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, 1), "EMPTY");
        for (int z = 1; z <= 5; z++) {
            assertEquals(BlkZoneCond.FULL, r.cond(z), "zone " + z);
        }
        r.assertCounters(0, 0, 0);
    }

    @Test
    void finishOfAnEmptyZoneNeedsResources() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_active=1");
        r.write(r.start(1), 8);
        r.mgmt(ReqOp.ZONE_CLOSE, 1);
        assertEquals(BlkStatus.ZONE_ACTIVE_RESOURCE, r.mgmt(ReqOp.ZONE_FINISH, 2), "opening is implied");
        assertEquals(BlkZoneCond.EMPTY, r.cond(2));
    }

    @Test
    void finishWithoutResourceAccountingMakesAnyConditionFull() {
        ZoneRig r = states(DEV);
        for (int z = 1; z <= 5; z++) {
            assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, z));
            assertEquals(BlkZoneCond.FULL, r.cond(z));
        }
    }

    @Test
    void finishSetsTheWritePointerToZoneLenNotCapacity() {
        ZoneRig r = new ZoneRig(DEV + " zone_capacity=2");
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, 1));
        assertEquals(r.start(1) + r.zone(1).len(), r.wp(1));
        r.write(r.start(2), (int) r.zone(2).capacity());
        assertEquals(r.start(2) + r.zone(2).capacity(), r.wp(2), "a write-filled zone stops at the capacity");
    }

    @Test
    void resetFromEachState() {
        ZoneRig r = states(RES);
        for (int z = 1; z <= 5; z++) {
            assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_RESET, z), "zone " + z);
            assertEquals(BlkZoneCond.EMPTY, r.cond(z));
            assertEquals(r.start(z), r.wp(z));
        }
        r.assertCounters(0, 0, 0);
    }

    @Test
    void resetDiscardsMemoryBackedData() {
        ZoneRig r = new ZoneRig(DEV + " memory_backed=1");
        byte[] data = NullBlkTestSupport.pattern(3, 8192);
        assertEquals(BlkStatus.OK, r.write(r.start(1), data));
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_RESET, 1));
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, 1)); // wp at the end: reads return what is stored
        assertArrayEquals(new byte[8192], r.read(r.start(1), 8192), "the data went with the reset");
    }
}
