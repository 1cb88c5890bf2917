package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZone;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.ReqOp;
import org.junit.jupiter.api.Test;

/** The spec's REPORT_ZONES, read, and configfs zone_readonly / zone_offline rules. */
class ZoneReadReportRulesTest {
    private static final String DEV = "zoned=1 size=64 zone_size=4 zone_nr_conv=1";

    @Test
    void reportFromPastTheLastZoneReturnsZero() {
        ZoneRig r = new ZoneRig(DEV);
        assertEquals(0, r.dev.reportZones(16L * r.zs, 4, (z, i) -> { }));
    }

    @Test
    void reportReturnsAtMostTheZonesRemaining() {
        ZoneRig r = new ZoneRig(DEV);
        List<BlkZone> got = new ArrayList<>();
        assertEquals(3, r.dev.reportZones(r.start(13) + 5, 10, (z, i) -> got.add(z)));
        assertEquals(r.start(13), got.get(0).start(), "from the zone holding the sector");
        assertEquals(2, r.dev.reportZones(0, 2, (z, i) -> { }));
    }

    @Test
    void reportCopiesEachZoneAndPassesItsIndex() {
        ZoneRig r = new ZoneRig(DEV);
        r.write(r.start(2), 8);
        List<Integer> idx = new ArrayList<>();
        List<BlkZone> got = new ArrayList<>();
        r.dev.reportZones(r.start(1), 3, (z, i) -> {
            idx.add(i);
            got.add(z);
        });
        assertEquals(Arrays.asList(0, 1, 2), idx);
        r.write(r.start(2) + 8, 8);
        assertEquals(r.start(2) + 8, got.get(1).wp(), "a snapshot: later writes do not change it");
        assertEquals(BlkZoneCond.IMP_OPEN, got.get(1).cond());
    }

    @Test
    void reportCallbackErrorAbortsTheReport() {
        ZoneRig r = new ZoneRig(DEV);
        int[] calls = {0};
        assertThrows(IllegalStateException.class, () -> r.dev.reportZones(0, 16, (z, i) -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("callback error");
            }
        }));
        assertEquals(2, calls[0]);
    }

    @Test
    void readOfAnOfflineZoneFailsWithIoerr() {
        ZoneRig r = new ZoneRig(DEV);
        r.dev.setZoneCond("zone_offline", r.start(3), BlkZoneCond.OFFLINE);
        assertEquals(BlkStatus.IOERR, r.cmd(ReqOp.READ, r.start(3), 8, ByteBuffer.allocate(4096)));
        r.dev.setZoneCond("zone_readonly", r.start(4), BlkZoneCond.READONLY);
        assertEquals(BlkStatus.OK, r.cmd(ReqOp.READ, r.start(4), 8, ByteBuffer.allocate(4096)), "READONLY reads");
    }

    @Test
    void readPastTheWritePointerIsZeroFilled() {
        ZoneRig r = new ZoneRig(DEV + " memory_backed=1");
        byte[] data = NullBlkTestSupport.pattern(4, 4096);
        r.write(r.start(1), data);
        r.mgmt(ReqOp.ZONE_RESET, 1);
        r.write(r.start(1), Arrays.copyOf(data, 2048));
        byte[] got = r.read(r.start(1), 4096);
        assertArrayEquals(Arrays.copyOf(data, 2048), Arrays.copyOf(got, 2048));
        assertArrayEquals(new byte[2048], Arrays.copyOfRange(got, 2048, 4096), "above wp: zeros, not the poison");
    }

    @Test
    void zoneReadonlyFinishesTheZoneFreesItsResourcesAndInvalidatesTheWritePointer() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=3");
        r.write(r.start(2), 8);
        r.assertCounters(1, 0, 0);
        r.dev.setZoneCond("zone_readonly", r.start(2) + 100, BlkZoneCond.READONLY);
        assertEquals(BlkZoneCond.READONLY, r.cond(2));
        assertEquals(BlkZone.WP_INVALID, r.wp(2));
        r.assertCounters(0, 0, 0);
    }

    @Test
    void zoneCondWrittenAgainGoesBackToEmptyAndDiscardsTheData() {
        ZoneRig r = new ZoneRig(DEV + " memory_backed=1");
        r.write(r.start(2), NullBlkTestSupport.pattern(5, 4096));
        r.dev.setZoneCond("zone_offline", r.start(2), BlkZoneCond.OFFLINE);
        assertEquals(BlkZoneCond.OFFLINE, r.cond(2));
        r.dev.setZoneCond("zone_offline", r.start(2), BlkZoneCond.OFFLINE);
        assertEquals(BlkZoneCond.EMPTY, r.cond(2));
        assertEquals(r.start(2), r.wp(2));
        r.mgmt(ReqOp.ZONE_FINISH, 2);
        assertArrayEquals(new byte[4096], r.read(r.start(2), 4096));
    }

    @Test
    void zoneReadonlyOnAnOfflineZoneMakesItReadonly() {
        ZoneRig r = new ZoneRig(DEV);
        r.dev.setZoneCond("zone_offline", r.start(2), BlkZoneCond.OFFLINE);
        r.dev.setZoneCond("zone_readonly", r.start(2), BlkZoneCond.READONLY);
        assertEquals(BlkZoneCond.READONLY, r.cond(2));
    }

    @Test
    void zoneCondRefusesSectorsOutOfRangeAndConventionalZones() {
        ZoneRig r = new ZoneRig(DEV);
        String m = assertThrows(IllegalArgumentException.class,
                () -> r.dev.setZoneCond("zone_readonly", 16L * r.zs, BlkZoneCond.READONLY)).getMessage();
        assertTrue(m.contains("zone_readonly=131072") && m.contains("0..131071"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> r.dev.setZoneCond("zone_offline", 5, BlkZoneCond.OFFLINE)).getMessage();
        assertTrue(m.contains("conventional"), m);
    }
}
