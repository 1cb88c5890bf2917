package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jblk.blockcore.GenDisk;
import jblk.blockcore.QueueLimits;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GenDiskBuilder: each invalid value is refused with a message naming the parameter and what is allowed. */
class GenDiskBuilderTest {

    @ParameterizedTest
    @ValueSource(ints = {1000, 256, 8192, 0, -512, 1536})
    void logicalBlockSizeMustBeAPowerOfTwoIn512To4096(int size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GenDiskBuilder().logicalBlockSize(size));
        assertEquals("logical block size " + size + " is invalid: allowed a power of two in 512..4096", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 256, 8192})
    void physicalBlockSizeMustBeAPowerOfTwoIn512To4096(int size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GenDiskBuilder().physicalBlockSize(size));
        assertEquals("physical block size " + size + " is invalid: allowed a power of two in 512..4096",
                e.getMessage());
    }

    @Test
    void physicalBelowLogicalIsRefusedAtBuild() {
        try (TagSet<Void, Void> set = TagSet.builder(new TestDriver()).build()) {
            GenDiskBuilder b = new GenDiskBuilder().capacitySectors(1024).logicalBlockSize(4096).physicalBlockSize(512);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.build("pbs0", set));
            String m = e.getMessage();
            assertTrue(m.contains("physical block size 512") && m.contains("logical block size 4096"), m);
            assertEquals(0, set.raw().nrQueues(), "nothing was attached to the tag set");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 1, 7, -1, (1 << 22) + 1})
    void maxSectorsOutOfRange(int s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ()
                -> new GenDiskBuilder().maxSectors(s));
        assertEquals("max_sectors " + s + " is out of range: allowed 0 (default) or 8..4194304", e.getMessage());
    }

    @Test
    void negativeCapacityAndLimitsAreRefused() {
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> new GenDiskBuilder().capacitySectors(-1));
        assertEquals("capacity -1 is out of range: allowed 0 or more sectors", c.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> new GenDiskBuilder().maxDiscardSectors(-1));
        assertTrue(d.getMessage().startsWith("max_discard_sectors -1") && d.getMessage().contains("allowed 0 or more"),
                d.getMessage());
        IllegalArgumentException z = assertThrows(IllegalArgumentException.class,
                () -> new GenDiskBuilder().maxWriteZeroesSectors(-1));
        assertTrue(z.getMessage().startsWith("max_write_zeroes_sectors -1")
                && z.getMessage().contains("allowed 0 or more"),
                z.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "0123456789012345678901234567890123"})
    void invalidNameIsRefusedAndTheTagSetStaysUsable(String name) {
        try (TagSet<Void, Void> set = TagSet.builder(new TestDriver()).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GenDiskBuilder().capacitySectors(8).build(name, set));
            assertEquals("disk name '" + name + "' is invalid: allowed 1..31 characters without '/'", e.getMessage());
            assertEquals(0, set.raw().nrQueues());
            GenDisk ok = new GenDiskBuilder().capacitySectors(8).build("ok0", set);
            ok.close();
        }
    }

    @Test
    void nullNameIsRefused() {
        try (TagSet<Void, Void> set = TagSet.builder(new TestDriver()).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GenDiskBuilder().build(null, set));
            assertTrue(e.getMessage().contains("disk name 'null' is invalid"), e.getMessage());
        }
    }

    @Test
    void validSettingsReachTheDisk() {
        try (TagSet<Void, Void> set = TagSet.builder(new TestDriver()).build()) {
            GenDisk disk = new GenDiskBuilder().capacitySectors(4096).logicalBlockSize(1024).physicalBlockSize(4096)
                    .rotational(true).maxSectors(64).writeCache(true).build("lim0", set);
            try {
                QueueLimits l = disk.limits();
                assertEquals(4096, disk.capacity());
                assertEquals(1024, l.logicalBlockSize());
                assertEquals(4096, l.physicalBlockSize());
                assertTrue(l.rotational());
                assertEquals(64, l.maxHwSectors());
                assertTrue(l.writeCache());
                assertEquals("lim0", disk.name());
                assertTrue(disk.debugfs().containsKey("ownership"), "the binding adds its counters to debugfs");
            } finally {
                disk.close();
            }
        }
    }

    @Test
    void invalidCloseTimeoutIsRefusedWithAClearMessage() {
        try (TagSet<Void, Void> set = TagSet.builder(new TestDriver()).build()) {
            for (java.time.Duration d : new java.time.Duration[] {null, java.time.Duration.ofMillis(-1)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> new GenDiskBuilder().capacitySectors(8).closeTimeout(d).build("ct0", set));
                assertTrue(e.getMessage().startsWith("close timeout " + d + " is invalid"), e.getMessage());
                assertEquals(0, set.raw().nrQueues());
            }
        }
    }

    @Test
    void logicalBlockSizeRaisesAnUnsetPhysicalOne() {
        try (TagSet<Void, Void> set = TagSet.builder(new TestDriver()).build()) {
            GenDisk disk = new GenDiskBuilder().capacitySectors(64).logicalBlockSize(4096).build("lbs0", set);
            try {
                assertEquals(4096, disk.limits().physicalBlockSize());
            } finally {
                disk.close();
            }
        }
    }
}
