package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZone;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.ReqOp;
import org.junit.jupiter.api.Test;

/** The spec's WRITE / ZONE_APPEND rules ({@code null_zone_write}), one test each, on the engine. */
class ZoneWriteRulesTest {
    private static final String DEV = "zoned=1 size=64 zone_size=4 zone_nr_conv=1";

    @Test
    void conventionalZoneWriteIsPlainIo() {
        ZoneRig r = new ZoneRig(DEV + " memory_backed=1");
        byte[] data = NullBlkTestSupport.pattern(1, 4096);
        assertEquals(BlkStatus.OK, r.write(100, data), "any sector of a conventional zone");
        assertArrayEquals(data, r.read(100, 4096));
        assertEquals(BlkZoneCond.NOT_WP, r.cond(0));
    }

    @Test
    void conventionalZoneAppendFailsWithIoerr() {
        ZoneRig r = new ZoneRig(DEV);
        assertEquals(BlkStatus.IOERR, r.append(0, 8));
    }

    @Test
    void appendWithAppendMaxZeroFailsWithIoerr() {
        ZoneRig r = new ZoneRig(DEV + " zone_append_max_sectors=0");
        assertEquals(BlkStatus.IOERR, r.append(1, 8), "the block layer should have emulated it");
        assertEquals(r.start(1), r.wp(1));
    }

    @Test
    void appendToAZoneWithoutWritePointerFailsWithIoerr() {
        ZoneRig r = new ZoneRig(DEV);
        r.dev.setZoneCond("zone_readonly", r.start(1), BlkZoneCond.READONLY);
        assertEquals(BlkStatus.IOERR, r.append(1, 8));
        r.dev.setZoneCond("zone_offline", r.start(2), BlkZoneCond.OFFLINE);
        assertEquals(BlkStatus.IOERR, r.append(2, 8));
    }

    @Test
    void appendWritesAtTheWritePointerAndReturnsTheSector() {
        ZoneRig r = new ZoneRig(DEV + " memory_backed=1");
        assertEquals(BlkStatus.OK, r.write(r.start(1), 16));
        byte[] data = NullBlkTestSupport.pattern(2, 8 << 9);
        assertEquals(BlkStatus.OK, r.cmd(ReqOp.ZONE_APPEND, r.start(1), 8, java.nio.ByteBuffer.wrap(data)));
        assertEquals(r.start(1) + 16, r.appended, "rq->__sector = wp");
        assertEquals(r.start(1) + 24, r.wp(1));
        assertArrayEquals(data, r.read(r.start(1) + 16, 8 << 9));
    }

    @Test
    void writeNotAtTheWritePointerFailsWithIoerr() {
        ZoneRig r = new ZoneRig(DEV);
        assertEquals(BlkStatus.IOERR, r.write(r.start(1) + 8, 8));
        assertEquals(BlkStatus.OK, r.write(r.start(1), 8));
        assertEquals(BlkStatus.IOERR, r.write(r.start(1), 8), "the write pointer moved on");
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(1));
        assertEquals(r.start(1) + 8, r.wp(1));
    }

    @Test
    void writePastTheZoneCapacityFailsWithIoerr() {
        ZoneRig r = new ZoneRig(DEV + " zone_capacity=2");
        long cap = r.zone(1).capacity();
        assertEquals(BlkStatus.OK, r.write(r.start(1), (int) cap - 8));
        assertEquals(BlkStatus.IOERR, r.write(r.start(1) + cap - 8, 16), "wp + nr > start + capacity");
        assertEquals(r.start(1) + cap - 8, r.wp(1), "nothing written");
    }

    @Test
    void fullReadonlyAndOfflineZonesFailThroughTheWritePointerTest() {
        ZoneRig r = new ZoneRig(DEV);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_FINISH, 1));
        assertEquals(BlkStatus.IOERR, r.write(r.start(1), 8), "FULL: wp is at the end of the zone");
        r.dev.setZoneCond("zone_readonly", r.start(2), BlkZoneCond.READONLY);
        assertEquals(BlkStatus.IOERR, r.write(r.start(2), 8), "READONLY: wp is INVALID");
        r.dev.setZoneCond("zone_offline", r.start(3), BlkZoneCond.OFFLINE);
        assertEquals(BlkStatus.IOERR, r.write(r.start(3), 8), "OFFLINE: wp is INVALID");
    }

    @Test
    void emptyZoneBecomesImplicitlyOpenOnWrite() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=4");
        assertEquals(BlkStatus.OK, r.write(r.start(1), 8));
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(1));
        r.assertCounters(1, 0, 0);
    }

    @Test
    void closedZoneBecomesImplicitlyOpenOnWrite() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=4");
        r.write(r.start(1), 8);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_CLOSE, 1));
        r.assertCounters(0, 0, 1);
        assertEquals(BlkStatus.OK, r.write(r.start(1) + 8, 8));
        assertEquals(BlkZoneCond.IMP_OPEN, r.cond(1));
        r.assertCounters(1, 0, 0);
    }

    @Test
    void explicitlyOpenZoneStaysExplicitlyOpenOnWrite() {
        ZoneRig r = new ZoneRig(DEV + " zone_max_open=4");
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_OPEN, 1));
        assertEquals(BlkStatus.OK, r.write(r.start(1), 8));
        assertEquals(BlkZoneCond.EXP_OPEN, r.cond(1));
        r.assertCounters(0, 1, 0);
    }

    @Test
    void writePointerAdvancesAndTheZoneIsFullAtCapacity() {
        ZoneRig r = new ZoneRig(DEV + " zone_capacity=2 zone_max_open=4");
        long cap = r.zone(1).capacity();
        assertEquals(BlkStatus.OK, r.write(r.start(1), 8));
        assertEquals(r.start(1) + 8, r.wp(1));
        assertEquals(BlkStatus.OK, r.write(r.start(1) + 8, (int) cap - 8));
        BlkZone z = r.zone(1);
        assertEquals(BlkZoneCond.FULL, z.cond());
        assertEquals(z.start() + cap, z.wp(), "a write-filled zone: wp = start + capacity");
        r.assertCounters(0, 0, 0);
        assertEquals(BlkStatus.OK, r.mgmt(ReqOp.ZONE_OPEN, 2));
        assertEquals(BlkStatus.OK, r.write(r.start(2), (int) cap));
        assertEquals(BlkZoneCond.FULL, r.cond(2));
        r.assertCounters(0, 0, 0);
    }

    @Test
    void badblocksPartialWriteAdvancesTheWritePointerButReportsIoerr() {
        ZoneRig r = new ZoneRig(DEV + " badblocks=+16400-16400 badblocks_partial_io=1");
        long s = r.start(2); // 16384
        assertEquals(BlkStatus.IOERR, r.write(s, 32));
        assertEquals(16 << 9, r.partial);
        assertEquals(s + 16, r.wp(2), "wp += the shortened nr");
    }

    @Test
    void badblocksErrorWithNothingWrittenLeavesTheWritePointer() {
        ZoneRig r = new ZoneRig(DEV + " badblocks=+16384-16384");
        long s = r.start(2);
        assertEquals(BlkStatus.IOERR, r.write(s, 8));
        assertEquals(s, r.wp(2));
    }
}
