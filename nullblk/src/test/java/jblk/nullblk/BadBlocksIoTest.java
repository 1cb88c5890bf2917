package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.assertReads;
import static jblk.nullblk.NullBlkTestSupport.pattern;
import static jblk.nullblk.NullBlkTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bad blocks fail I/O with IOERR; badblocks_once fails once; badblocks_partial_io transfers the good prefix. */
class BadBlocksIoTest {

    private static NullbDevice device(DriverKind kind, String extra) {
        return NullBlkTestSupport.powered("nullb0", "size=4 memory_backed=1 poll_queues=0 irqmode=1 " + extra, kind,
                kind == DriverKind.RAW ? Ownership.OFF : Ownership.CHECKED);
    }

    private static Done writeIo(SwQueue q, long sector, byte[] data) throws InterruptedException {
        return NullBlkTestSupport.io(q, ReqOp.WRITE, sector, data.length, ByteBuffer.wrap(data), 0, 0);
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void ioTouchingABadBlockFailsAndWritesNothing(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind, "badblocks=+16-23"); SwQueue q = dev.disk().openQueue()) {
            Done w = writeIo(q, 8, pattern(1, 8192)); // sectors 8..23
            assertEquals(BlkStatus.IOERR, w.status);
            assertEquals(0, w.bytesDone);
            assertReads(q, 0, new byte[8192]); // sectors 0..15 are good and were not written
            Done r = NullBlkTestSupport.io(q, ReqOp.READ, 20, 512, ByteBuffer.allocate(512), 0, 0);
            assertEquals(BlkStatus.IOERR, r.status);
            write(q, 24, pattern(2, 4096)); // just after the range
            assertReads(q, 24, pattern(2, 4096));
            assertEquals(BlkStatus.IOERR, writeIo(q, 16, pattern(3, 512)).status, "still bad");
            assertEquals("16 8\n", dev.get("badblocks"));
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void badblocksOnceFailsOnceThenSucceeds(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind, "badblocks=+16-23,+100-100 badblocks_once=1");
                SwQueue q = dev.disk().openQueue()) {
            byte[] data = pattern(4, 4096);
            assertEquals(BlkStatus.IOERR, writeIo(q, 16, data).status);
            assertEquals("100 1\n", dev.get("badblocks"), "the range that failed was cleared");
            Done again = writeIo(q, 16, data);
            assertEquals(BlkStatus.OK, again.status);
            assertEquals(4096, again.bytesDone);
            assertReads(q, 16, data);
            assertEquals(BlkStatus.IOERR, writeIo(q, 96, pattern(5, 4096)).status, "the other range fails once too");
            assertEquals("", dev.get("badblocks"));
            write(q, 96, pattern(5, 4096));
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void partialIoTransfersTheGoodPrefix(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind, "badblocks=+16-23 badblocks_partial_io=1");
                SwQueue q = dev.disk().openQueue()) {
            byte[] data = pattern(6, 8192); // sectors 8..23: 8 good, then bad
            Done w = writeIo(q, 8, data);
            assertEquals(BlkStatus.IOERR, w.status);
            assertEquals(4096, w.bytesDone, "the good prefix: sectors 8..15");
            assertReads(q, 8, Arrays.copyOf(data, 4096));

            ByteBuffer rbuf = ByteBuffer.allocate(8192);
            Done r = NullBlkTestSupport.io(q, ReqOp.READ, 8, 8192, rbuf, 0, 0);
            assertEquals(BlkStatus.IOERR, r.status);
            assertEquals(4096, r.bytesDone);
            assertArrayEquals(Arrays.copyOf(data, 4096), Arrays.copyOf(rbuf.array(), 4096), "the prefix was read");

            Done inside = writeIo(q, 20, pattern(7, 1024)); // starts in the bad range
            assertEquals(BlkStatus.IOERR, inside.status);
            assertEquals(0, inside.bytesDone);
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void partialIoRoundsTheFirstBadSectorDownToABlock(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind, "bs=4096 badblocks=+21-21 badblocks_partial_io=1");
                SwQueue q = dev.disk().openQueue()) {
            byte[] data = pattern(8, 16384); // sectors 0..31; the bad sector 21 lies in the block at 16
            Done w = writeIo(q, 0, data);
            assertEquals(BlkStatus.IOERR, w.status);
            assertEquals(16 * 512, w.bytesDone);
            assertReads(q, 0, Arrays.copyOf(data, 8192));
            assertReads(q, 24, new byte[4096]);
        }
    }
}
