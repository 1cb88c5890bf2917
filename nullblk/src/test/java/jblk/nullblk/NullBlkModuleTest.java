package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import jblk.blockcore.GenDisk;
import jblk.blockcore.HctxType;
import jblk.blockcore.TagSet;
import jblk.blockcore.TagSetFlag;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** modprobe-style loading: devices, and each parameter reaching the disk and tag set it configures. */
class NullBlkModuleTest {

    private static Ownership own(DriverKind kind) {
        return kind == DriverKind.RAW ? Ownership.OFF : Ownership.CHECKED;
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void nrDevicesCreatesPoweredDisksEachOnItsOwnTagSet(DriverKind kind) {
        try (NullBlkModule m = NullBlkModule.load("nr_devices=3 size=4", kind, own(kind))) {
            assertEquals(3, m.devices().size());
            for (int i = 0; i < 3; i++) {
                NullbDevice d = m.device(i);
                assertEquals("nullb" + i, d.name());
                assertTrue(d.isPowered());
                assertEquals("nullb" + i, d.disk().name());
                assertEquals(kind, d.driver());
            }
            assertNotSame(m.device(0).disk().tagSet(), m.device(1).disk().tagSet());
            if (kind == DriverKind.SAFE) {
                assertEquals(0, m.device(2).violations().total());
                assertEquals(Ownership.CHECKED, m.device(2).safeTagSet().ownership());
            } else {
                assertNull(m.device(0).violations());
                assertNull(m.device(0).safeTagSet());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void sharedTagsPutEveryDiskOnOneTagSet(DriverKind kind) {
        try (NullBlkModule m = NullBlkModule.load("nr_devices=3 shared_tags=1 size=4 hw_queue_depth=32", kind,
                own(kind))) {
            TagSet set = m.device(0).disk().tagSet();
            assertSame(set, m.device(1).disk().tagSet());
            assertSame(set, m.device(2).disk().tagSet());
            assertEquals(3, set.nrQueues());
            assertTrue(set.flags().contains(TagSetFlag.TAG_QUEUE_SHARED));
            assertEquals(32, set.queueDepth());
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void parametersReachTheDiskAndTagSet(DriverKind kind) {
        try (NullBlkModule m = NullBlkModule.load("gb=2 size=0 bs=4096 max_sectors=64 rotational=1 iostats=0"
                + " hw_queue_depth=8 submit_queues=3 poll_queues=1 shared_tag_bitmap=1 blocking=1", kind, own(kind))) {
            GenDisk disk = m.device(0).disk();
            assertEquals(2L << 21, disk.capacity(), "gb=2 in 512-byte sectors");
            assertEquals(4096, disk.limits().logicalBlockSize());
            assertEquals(4096, disk.limits().physicalBlockSize());
            assertEquals(64, disk.limits().maxHwSectors());
            assertTrue(disk.limits().rotational());
            assertFalse(disk.iostats());
            assertEquals(4, disk.nrHwQueues());
            assertEquals(HctxType.POLL, disk.hwQueue(3).type());
            assertEquals(HctxType.DEFAULT, disk.hwQueue(2).type());
            TagSet set = disk.tagSet();
            assertEquals(8, set.queueDepth());
            assertEquals(1, set.nrPollQueues());
            assertTrue(set.flags().contains(TagSetFlag.TAG_HCTX_SHARED));
            assertTrue(set.flags().contains(TagSetFlag.BLOCKING));
            assertEquals(Duration.ofSeconds(5), set.timeout(), "null_blk's 5 s request timeout");
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void defaultsGiveTheKernelsDevice(DriverKind kind) {
        try (NullBlkModule m = NullBlkModule.load("", kind, own(kind))) {
            GenDisk disk = m.device(0).disk();
            assertEquals(1, m.devices().size());
            assertEquals(250L << 21, disk.capacity(), "250 GB");
            assertEquals(512, disk.limits().logicalBlockSize());
            assertEquals(2, disk.nrHwQueues(), "one submit queue and one poll queue");
            assertEquals(HctxType.POLL, disk.hwQueue(1).type());
            assertEquals(64, disk.tagSet().queueDepth());
            assertFalse(disk.limits().writeCache());
            assertEquals(0, disk.limits().maxDiscardSectors());
            assertFalse(disk.tagSet().flags().contains(TagSetFlag.BLOCKING));
            assertTrue(disk.iostats());
            assertEquals(0, m.device(0).memoryUsed());
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void memoryBackedImpliesABlockingTagSet(DriverKind kind) {
        try (NullBlkModule m = NullBlkModule.load("size=4 memory_backed=1", kind, own(kind))) {
            assertTrue(m.device(0).disk().tagSet().flags().contains(TagSetFlag.BLOCKING));
            assertTrue(m.device(0).disk().limits().maxWriteZeroesSectors() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void badParametersLoadNothing(DriverKind kind) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NullBlkModule.load("nr_devices=2 irqmode=9", kind, own(kind)));
        assertTrue(e.getMessage().startsWith("irqmode=9 is out of range"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void seededLoadGivesEachDeviceItsOwnSeedAndBudget(DriverKind kind) throws Exception {
        try (NullBlkModule m = NullBlkModule.load("nr_devices=2 size=4 memory_backed=1 poll_queues=0", kind, own(kind),
                5, 8192)) {
            try (jblk.blockcore.SwQueue q = m.device(1).disk().openQueue()) {
                assertEquals(jblk.blockcore.BlkStatus.OK, NullBlkTestSupport.io(q, jblk.blockcore.ReqOp.WRITE, 0,
                        8192, java.nio.ByteBuffer.allocate(8192), 0, 0).status);
                assertEquals(jblk.blockcore.BlkStatus.NOSPC, NullBlkTestSupport.io(q, jblk.blockcore.ReqOp.WRITE, 16,
                        4096, java.nio.ByteBuffer.allocate(4096), 0, 0).status, "the 8 KiB budget is used up");
            }
        }
    }
}
