package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.assertReads;
import static jblk.nullblk.NullBlkTestSupport.pattern;
import static jblk.nullblk.NullBlkTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.HctxType;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The configfs-like device: attributes, power, what may change while powered, data across power cycles. */
class ConfigfsDeviceTest {
    private static final Set<String> LIVE = Set.of("submit_queues", "poll_queues", "badblocks", "iostats");

    @Test
    void attributesChangeWhileOffAndPowerCreatesTheDisk() {
        try (NullbDevice dev = new NullbDevice("nullb0", NullbParams.parse("size=16"), DriverKind.SAFE,
                Ownership.CHECKED)) {
            assertEquals("0", dev.get("power"));
            assertFalse(dev.isPowered());
            IllegalStateException off = assertThrows(IllegalStateException.class, dev::disk);
            assertTrue(off.getMessage().contains("nullb0 is not powered"), off.getMessage());
            dev.set("irqmode", "0");
            IllegalArgumentException dep = assertThrows(IllegalArgumentException.class, () -> dev.set("discard", "1"));
            assertTrue(dep.getMessage().contains("needs memory_backed=1"), dep.getMessage());
            assertEquals("0", dev.get("discard"), "a refused value is not kept");
            IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> dev.set("bs", "1000"));
            assertEquals("bs=1000 is invalid: allowed a power of two in 512..4096", range.getMessage());
            dev.set("bs", "4096");
            dev.set("rotational", "y");
            dev.set("power", "1");
            assertEquals("1", dev.get("power"));
            GenDisk disk = dev.disk();
            assertEquals("nullb0", disk.name());
            assertEquals(4096, disk.limits().logicalBlockSize());
            assertTrue(disk.limits().rotational());
            assertEquals(16L << 11, disk.capacity());
            assertEquals("0", dev.get("irqmode"));
            IllegalArgumentException bad =
                    assertThrows(IllegalArgumentException.class, () -> dev.set("power", "maybe"));
            assertTrue(bad.getMessage().startsWith("power=maybe is invalid"), bad.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void nonLiveAttributesAreBusyWhilePowered(DriverKind kind) {
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0", "size=4 poll_queues=0", kind, Ownership.CHECKED)) {
            for (String name : NullbParams.names()) {
                if (LIVE.contains(name)) {
                    continue;
                }
                String before = dev.get(name);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> dev.set(name, before),
                        name);
                assertEquals(name + " cannot change while nullb0 is powered (EBUSY): allowed while powered:"
                        + " submit_queues, poll_queues, badblocks, iostats", e.getMessage());
                assertEquals(before, dev.get(name));
            }
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> dev.set("nope", "1"));
            assertTrue(unknown.getMessage().contains("known parameters are"), unknown.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void submitAndPollQueuesChangeLive(DriverKind kind) throws Exception {
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0", "size=4 poll_queues=0 irqmode=1", kind,
                Ownership.CHECKED)) {
            GenDisk disk = dev.disk();
            assertEquals(1, disk.nrHwQueues());
            dev.set("submit_queues", "3");
            assertEquals(3, disk.nrHwQueues());
            assertEquals("3", dev.get("submit_queues"));
            dev.set("poll_queues", "1");
            assertEquals(4, disk.nrHwQueues());
            assertEquals(HctxType.POLL, disk.hwQueue(3).type());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> dev.set("submit_queues", "0"));
            assertTrue(bad.getMessage().contains("submit_queues=0"), bad.getMessage());
            assertEquals(4, disk.nrHwQueues(), "a refused value changes nothing");
            dev.set("submit_queues", "1");
            dev.set("poll_queues", "0");
            assertEquals(1, disk.nrHwQueues());
            try (SwQueue q = disk.openQueue()) {
                assertEquals(BlkStatus.OK, NullBlkTestSupport.io(q, ReqOp.READ, 0, 512,
                        java.nio.ByteBuffer.allocate(512), 0, 0).status);
            }
        }
    }

    @Test
    void iostatsAndBadblocksChangeLive() throws Exception {
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0", "size=4 poll_queues=0 memory_backed=1",
                DriverKind.SAFE, Ownership.CHECKED)) {
            GenDisk disk = dev.disk();
            assertTrue(disk.iostats());
            dev.set("iostats", "0");
            assertFalse(disk.iostats());
            assertEquals("0", dev.get("iostats"));
            try (SwQueue q = disk.openQueue()) {
                byte[] data = pattern(1, 4096);
                write(q, 0, data);
                dev.set("badblocks", "+0-7");
                assertEquals("0 8\n", dev.get("badblocks"));
                assertEquals(BlkStatus.IOERR, NullBlkTestSupport.io(q, ReqOp.READ, 0, 4096,
                        java.nio.ByteBuffer.allocate(4096), 0, 0).status);
                dev.set("badblocks", "-0-7");
                assertEquals("", dev.get("badblocks"));
                assertReads(q, 0, data);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void memoryBackedDataSurvivesPowerOffAndOn(DriverKind kind) throws Exception {
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0",
                "size=8 poll_queues=0 memory_backed=1 cache_size=1", kind, Ownership.CHECKED)) {
            byte[] a = pattern(7, 8192);
            byte[] b = pattern(8, 4096);
            try (SwQueue q = dev.disk().openQueue()) {
                write(q, 16, a);
                write(q, 1000, b);
            }
            long used = dev.memoryUsed();
            assertTrue(used >= a.length + b.length, "pages are accounted: " + used);
            dev.set("power", "0");
            assertFalse(dev.isPowered());
            dev.set("irqmode", "0"); // allowed while off
            dev.set("power", "1");
            try (SwQueue q = dev.disk().openQueue()) {
                assertReads(q, 16, a);
                assertReads(q, 1000, b);
                assertReads(q, 2000, new byte[4096]);
            }
        }
    }

    @Test
    void closeFreesTheStorage() throws Exception {
        NullbDevice dev = NullBlkTestSupport.powered("nullb0", "size=4 poll_queues=0 memory_backed=1", DriverKind.RAW,
                Ownership.OFF);
        try (SwQueue q = dev.disk().openQueue()) {
            write(q, 0, pattern(3, 16384));
        }
        assertEquals(16384, dev.memoryUsed());
        dev.close();
        assertFalse(dev.isPowered());
        assertEquals(0, dev.memoryUsed());
    }

    @Test
    void submitQueuesCannotChangeOnSharedTags() {
        try (NullBlkModule m = NullBlkModule.load("nr_devices=2 shared_tags=1 size=4 poll_queues=0", DriverKind.SAFE,
                Ownership.CHECKED)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> m.device(0).set("submit_queues", "2"));
            assertTrue(e.getMessage().contains("shared_tags=1"), e.getMessage());
            assertEquals(1, m.device(0).disk().nrHwQueues());
        }
    }
}
