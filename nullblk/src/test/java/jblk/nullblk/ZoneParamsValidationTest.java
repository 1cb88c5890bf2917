package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.BlkZoneType;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ZonedLimits;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;

/** The spec's "Parameters" and "Validation at power-on" rules, one test each. */
class ZoneParamsValidationTest {

    private static ZoneConfig cfg(String params) {
        return ZoneConfig.of(NullbParams.parse(params));
    }

    private static String refusal(String params) {
        return assertThrows(IllegalArgumentException.class, () -> cfg(params)).getMessage();
    }

    @Test
    void defaultsAreTheKernels() {
        NullbParams p = NullbParams.parse("");
        assertEquals("0", p.get("zoned"));
        assertEquals("256", p.get("zone_size"));
        assertEquals("0", p.get("zone_capacity"));
        assertEquals("0", p.get("zone_nr_conv"));
        assertEquals("0", p.get("zone_max_open"));
        assertEquals("0", p.get("zone_max_active"));
        assertEquals(Integer.toString(Integer.MAX_VALUE), p.get("zone_append_max_sectors"));
        assertEquals("0", p.get("zone_full"));
        ZoneConfig c = cfg("zoned=1 size=1024");
        assertEquals(256L << 11, c.zoneSectors(), "zone_size defaults to 256 MB");
        assertEquals(c.zoneSectors(), c.zoneCapSectors(), "zone_capacity 0 means zone_size");
    }

    @Test
    void zoneSizeMustBeAPowerOfTwo() {
        String m = refusal("zoned=1 size=64 zone_size=3");
        assertTrue(m.contains("zone_size=3") && m.contains("power of two"), m);
        assertTrue(refusal("zoned=1 size=64 zone_size=0").contains("zone_size=0"));
    }

    @Test
    void zoneSizeMustNotExceedTheDeviceSize() {
        String m = refusal("zoned=1 size=64 zone_size=128");
        assertTrue(m.contains("zone_size=128") && m.contains("64"), m);
    }

    @Test
    void zoneCapacityMustNotExceedZoneSize() {
        String m = refusal("zoned=1 size=64 zone_size=4 zone_capacity=8");
        assertTrue(m.contains("zone_capacity=8") && m.contains("1..4"), m);
    }

    @Test
    void smallerLastZoneNotAllowedWithSmallerCapacity() {
        String m = refusal("zoned=1 size=66 zone_size=4 zone_capacity=2");
        assertTrue(m.contains("smaller last zone"), m);
        assertEquals(17, cfg("zoned=1 size=66 zone_size=4").nrZones(), "without a smaller capacity it is allowed");
    }

    @Test
    void nrZonesIsSizeOverZoneSizeRoundedUpAndOnlyTheLastZoneIsShortened() {
        ZoneRig r = new ZoneRig("zoned=1 size=66 zone_size=4");
        assertEquals(17, r.dev.cfg.nrZones());
        assertEquals(8192, r.zone(15).len());
        assertEquals(4096, r.zone(16).len(), "last zone: what is left of the device");
        assertEquals(4096, r.zone(16).capacity());
    }

    @Test
    void zoneNrConvAtOrAboveNrZonesIsClampedToNrZonesMinusOne() {
        ZoneConfig c = cfg("zoned=1 size=64 zone_size=4 zone_nr_conv=99");
        assertEquals(15, c.nrConv());
        assertTrue(c.notes().get(0).contains("conventional zones to 15"), c.notes().toString());
    }

    @Test
    void appendMaxIsAlignedDownToTheBlockSizeAndCappedByZoneCapacity() {
        assertEquals(8, cfg("zoned=1 size=64 zone_size=4 bs=4096 zone_append_max_sectors=13").appendMaxSectors());
        assertEquals(4096, cfg("zoned=1 size=64 zone_size=4 zone_capacity=2").appendMaxSectors(),
                "INT_MAX is capped by the zone capacity (2 MB)");
        assertEquals(0, cfg("zoned=1 size=64 zone_size=4 zone_append_max_sectors=0").appendMaxSectors(),
                "0: the block layer emulates appends");
    }

    @Test
    void maxActiveAtOrAboveSequentialZonesIsDisabled() {
        assertEquals(0, cfg("zoned=1 size=64 zone_size=4 zone_nr_conv=2 zone_max_active=14").maxActive());
        assertEquals(13, cfg("zoned=1 size=64 zone_size=4 zone_nr_conv=2 zone_max_active=13").maxActive());
    }

    @Test
    void maxOpenAboveMaxActiveIsLoweredToMaxActive() {
        ZoneConfig c = cfg("zoned=1 size=64 zone_size=4 zone_max_active=3 zone_max_open=5");
        assertEquals(3, c.maxOpen());
        assertEquals(3, c.maxActive());
    }

    @Test
    void maxOpenAtOrAboveSequentialZonesIsDisabled() {
        assertEquals(0, cfg("zoned=1 size=64 zone_size=4 zone_max_open=16").maxOpen());
        assertEquals(15, cfg("zoned=1 size=64 zone_size=4 zone_max_open=15").maxOpen());
        // with max_active set, the clamp to max_active wins even when that disables nothing
        assertEquals(3, cfg("zoned=1 size=64 zone_size=4 zone_max_active=3 zone_max_open=20").maxOpen());
    }

    @Test
    void resourceAccountingOnlyWhenMaxOpenOrMaxActiveIsSet() {
        assertFalse(cfg("zoned=1 size=64 zone_size=4").resMgmt());
        assertFalse(cfg("zoned=1 size=64 zone_size=4 zone_max_open=16").resMgmt(), "disabled by the clamp");
        assertTrue(cfg("zoned=1 size=64 zone_size=4 zone_max_open=2").resMgmt());
        assertTrue(cfg("zoned=1 size=64 zone_size=4 zone_max_active=2").resMgmt());
    }

    @Test
    void queueLimitsAreZonedWithChunkSectorsAndMaxOpenActiveAppend() {
        try (NullbDevice d = NullBlkTestSupport.powered("zl0",
                "zoned=1 size=64 zone_size=4 zone_max_open=3 zone_max_active=5 zone_append_max_sectors=64 irqmode=0",
                DriverKind.RAW, Ownership.OFF)) {
            GenDisk disk = d.disk();
            assertEquals(new ZonedLimits(8192, 3, 5, 64), disk.zones().limits());
            assertEquals(16, disk.zones().nrZones());
            assertEquals(0, disk.limits().maxDiscardSectors(), "discard is ignored in zoned mode");
        }
    }

    @Test
    void invalidZonedParametersAreRefusedAtPowerOn() {
        NullbDevice d = new NullbDevice("zl1", NullbParams.parse("zoned=1 size=64 zone_size=5"), DriverKind.SAFE,
                Ownership.CHECKED);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.power(true));
        assertTrue(e.getMessage().contains("zone_size=5"), e.getMessage());
        assertFalse(d.isPowered());
        d.set("zone_size", "4");
        d.power(true);
        assertTrue(d.isPowered());
        d.close();
    }

    @Test
    void conventionalZonesAreNotWpAndFullLength() {
        ZoneRig r = new ZoneRig("zoned=1 size=64 zone_size=4 zone_nr_conv=2");
        assertEquals(BlkZoneType.CONVENTIONAL, r.zone(1).type());
        assertEquals(BlkZoneCond.NOT_WP, r.cond(1));
        assertEquals(r.zone(1).len(), r.zone(1).capacity());
        assertEquals(r.start(1) + 8192, r.wp(1), "wp = start + len");
    }

    @Test
    void sequentialZonesStartEmptyAtTheirStart() {
        ZoneRig r = new ZoneRig("zoned=1 size=64 zone_size=4 zone_nr_conv=2");
        assertEquals(BlkZoneType.SEQWRITE_REQ, r.zone(2).type());
        assertEquals(BlkZoneCond.EMPTY, r.cond(2));
        assertEquals(r.start(2), r.wp(2));
    }

    @Test
    void zoneFullStartsSequentialZonesFullAtCapacity() {
        ZoneRig r = new ZoneRig("zoned=1 size=64 zone_size=4 zone_capacity=3 zone_full=1 zone_nr_conv=1");
        assertEquals(BlkZoneCond.FULL, r.cond(1));
        assertEquals(r.start(1) + (3 << 11), r.wp(1), "wp = start + capacity");
        assertEquals(BlkZoneCond.NOT_WP, r.cond(0));
    }
}
