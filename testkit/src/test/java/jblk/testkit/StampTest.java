package jblk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
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
    void tellsAnotherSectorsStampAnotherDevicesStampAndDamage() {
        ByteBuffer b = ByteBuffer.allocate(512);
        Stamp.write(b, 0, 3, 77, 9);
        assertEquals(Stamp.WRONG_LBA, Stamp.check(b, 0, 3, 78));
        assertEquals(77, Stamp.lba(b, 0));
        assertEquals(9, Stamp.seq(b, 0));
        assertEquals(Stamp.GARBAGE, Stamp.check(b, 0, 4, 77), "another device's stamp");
        b.put(300, (byte) (b.get(300) ^ 1));
        assertEquals(Stamp.GARBAGE, Stamp.check(b, 0, 3, 77), "one flipped bit");
    }

    @Test
    void theSingleDiskFormIsDeviceZero() {
        ByteBuffer b = ByteBuffer.allocate(512);
        Stamp.write(b, 0, 77, 5);
        assertEquals(5, Stamp.check(b, 0, 0, 77));
        assertEquals(Stamp.GARBAGE, Stamp.check(b, 0, 1, 77));
    }
}
