package jblk.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class StampTest {
    @Test
    void readsBackTheWriteSequenceOfItsOwnSector() {
        ByteBuffer b = ByteBuffer.allocate(1024);
        Stamp.write(b, 512, 3, 77, 12345);
        assertEquals(12345, Stamp.check(b, 512, 3, 77));
        assertEquals(Stamp.ZEROS, Stamp.check(b, 0, 3, 76));
    }

    @Test
    void tellsAnotherSectorsStampAndDamage() {
        ByteBuffer b = ByteBuffer.allocate(512);
        Stamp.write(b, 0, 3, 77, 9);
        assertEquals(Stamp.WRONG_LBA, Stamp.check(b, 0, 3, 78));
        assertEquals(Stamp.GARBAGE, Stamp.check(b, 0, 4, 77), "another device's stamp");
        b.put(300, (byte) (b.get(300) ^ 1));
        assertEquals(Stamp.GARBAGE, Stamp.check(b, 0, 3, 77), "one flipped bit");
    }

    @Test
    void rangeLocksExcludeOverlapsOnly() {
        DataModel m = new DataModel(100, List.of(new long[] {10, 12}));
        assertTrue(m.tryLock(20, 10));
        assertFalse(m.tryLock(29, 5));
        assertFalse(m.tryLock(15, 6));
        assertTrue(m.tryLock(30, 5));
        m.unlock(20, 10);
        assertTrue(m.tryLock(25, 5));
        assertTrue(m.overlapsBad(5, 6));
        assertFalse(m.overlapsBad(13, 5));
    }
}
