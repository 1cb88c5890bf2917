package jblk.blockcore;

import static jblk.blockcore.TagSetValidationTest.expectIae;
import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Invalid disk parameters: IllegalArgumentException naming the parameter and the allowed range. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DiskValidationTest {
    TagSet set;

    @BeforeEach
    void setUp() {
        set = TagSet.builder(new Inline()).build();
    }

    @AfterEach
    void tearDown() {
        set.close(); // fails if a test left a disk open
    }

    @Test
    void blockSizeNotAPowerOfTwoIn512To4096() {
        for (int bad : new int[] {1000, 256, 8192, 0, -512, 3072, 511}) {
            expectIae(() -> GenDisk.builder(set).logicalBlockSize(bad), "logical block size", String.valueOf(bad),
                    "512..4096");
            expectIae(() -> GenDisk.builder(set).physicalBlockSize(bad), "physical block size",
                    String.valueOf(bad), "512..4096");
        }
        for (int good : new int[] {512, 1024, 2048, 4096}) {
            GenDisk d = GenDisk.builder(set).name("bs" + good).capacitySectors(64).logicalBlockSize(good).build();
            assertEquals(good, d.limits().logicalBlockSize());
            assertTrue(d.limits().physicalBlockSize() >= good);
            d.close();
        }
    }

    /** Defect: 2049 sectors with 4096-byte blocks was accepted, and I/O near the end named a wrong range. */
    @Test
    void capacityNotAMultipleOfTheLogicalBlockSize() {
        expectIae(() -> GenDisk.builder(set).name("cap").capacitySectors(2049).logicalBlockSize(4096).build(),
                "capacity 2049", "logical block size 4096", "multiple of 8 sectors", "2048 or 2056");
        GenDisk d = GenDisk.builder(set).name("cap").capacitySectors(2048).logicalBlockSize(4096).build();
        expectIae(() -> d.setCapacity(4100), "capacity 4100", "multiple of 8 sectors", "4096 or 4104");
        d.setCapacity(4096);
        assertEquals(4096, d.capacity());
        d.close();
        GenDisk small = GenDisk.builder(set).name("cap512").capacitySectors(2049).build();
        assertEquals(2049, small.capacity(), "any sector count is whole 512-byte blocks");
        small.close();
    }

    @Test
    void physicalBelowLogical() {
        expectIae(() -> GenDisk.builder(set).logicalBlockSize(4096).physicalBlockSize(512).build(),
                "physical block size", "512", "4096");
        GenDisk d = GenDisk.builder(set).name("pbs").physicalBlockSize(4096).build();
        assertEquals(512, d.limits().logicalBlockSize());
        assertEquals(4096, d.limits().physicalBlockSize());
        d.close();
    }

    @Test
    void badNames() {
        expectIae(() -> GenDisk.builder(set).name(null), "name", "1..31");
        expectIae(() -> GenDisk.builder(set).name(""), "name", "1..31");
        expectIae(() -> GenDisk.builder(set).name("a".repeat(32)), "name", "1..31");
        expectIae(() -> GenDisk.builder(set).name("nullb/0"), "name", "'/'");
        GenDisk d = GenDisk.builder(set).name("b".repeat(31)).build();
        assertEquals(31, d.name().length());
        d.close();
    }

    @Test
    void otherLimits() {
        expectIae(() -> GenDisk.builder(set).capacitySectors(-1), "capacity", "-1");
        expectIae(() -> GenDisk.builder(set).maxSectors(7), "max_sectors", "8..");
        expectIae(() -> GenDisk.builder(set).maxSectors((1 << 22) + 1), "max_sectors");
        expectIae(() -> GenDisk.builder(set).maxDiscardSectors(-1), "max_discard_sectors");
        expectIae(() -> GenDisk.builder(set).maxWriteZeroesSectors(-1), "max_write_zeroes_sectors");
        expectIae(() -> GenDisk.builder(set).closeTimeout(Duration.ofMillis(-1)), "close timeout");
        expectIae(() -> GenDisk.builder(set).closeTimeout(null), "close timeout");
        expectIae(() -> GenDisk.builder(null), "tag set");
        GenDisk d = GenDisk.builder(set).name("cap").capacitySectors(64).build();
        expectIae(() -> d.setCapacity(-5), "capacity");
        assertEquals(64, d.capacity());
        d.close();
    }

    @Test
    void setCapacityShrinksTheDevice() throws Exception {
        GenDisk d = GenDisk.builder(set).name("shrink").capacitySectors(1024).build();
        try (SwQueue q = d.openQueue()) {
            readOk(q, 1016);
            d.setCapacity(512);
            Done past = new Done();
            q.submitBio(read(1016, 4096, past));
            assertEquals(BlkStatus.IOERR, past.await().status);
            readOk(q, 504);
        } finally {
            d.close();
        }
    }

    @Test
    void maxSectorsIsRoundedToLogicalBlocks() {
        GenDisk d = GenDisk.builder(set).name("ms").logicalBlockSize(4096).maxSectors(20).build();
        assertEquals(20, d.limits().maxHwSectors());
        assertEquals(16, d.limits().maxSectors(), "max_sectors is a whole number of 4k blocks");
        d.close();
    }
}
