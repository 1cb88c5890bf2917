package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.op;
import static jblk.nullblk.NullBlkTestSupport.pattern;
import static jblk.nullblk.NullBlkTestSupport.read;
import static jblk.nullblk.NullBlkTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import jblk.blockcore.AllocationMap;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DISCARD and WRITE_ZEROES: whole pages are freed (holes), partial pages zeroed; NOUNMAP keeps pages. */
class DiscardWriteZeroesTest {
    private static final int PAGE = 4096;

    private static NullbDevice device(DriverKind kind) {
        return NullBlkTestSupport.powered("nullb0", "size=4 memory_backed=1 discard=1 poll_queues=0 irqmode=1", kind,
                kind == DriverKind.RAW ? Ownership.OFF : Ownership.CHECKED);
    }

    private static byte[] zeroed(byte[] data, int from, int to) {
        byte[] c = data.clone();
        Arrays.fill(c, from, to, (byte) 0);
        return c;
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void discardFreesWholePagesAndZeroesPartialOnes(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind); SwQueue q = dev.disk().openQueue()) {
            AllocationMap map = dev.disk().allocationMap();
            assertEquals(PAGE, map.granularity());
            byte[] data = pattern(1, 4 * PAGE);
            write(q, 0, data);
            assertEquals(4 * PAGE, dev.memoryUsed());
            for (int p = 0; p < 4; p++) {
                assertTrue(map.isMapped((long) p * PAGE));
            }
            // [2048, 10240): the end of page 0, all of page 1, the start of page 2.
            assertEquals(BlkStatus.OK, op(q, ReqOp.DISCARD, 4, 2 * PAGE, 0));
            assertArrayEquals(zeroed(data, 2048, 10240), read(q, 0, 4 * PAGE));
            assertTrue(map.isMapped(0), "a partly discarded page stays");
            assertFalse(map.isMapped(PAGE), "a wholly discarded page is a hole");
            assertTrue(map.isMapped(2L * PAGE));
            assertTrue(map.isMapped(3L * PAGE));
            assertEquals(3 * PAGE, dev.memoryUsed(), "the hole's page went back");
            assertFalse(map.isMapped(100L * PAGE), "never written");
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void writeZeroesUnmapsUnlessNounmap(DriverKind kind) throws Exception {
        try (NullbDevice dev = device(kind); SwQueue q = dev.disk().openQueue()) {
            AllocationMap map = dev.disk().allocationMap();
            byte[] data = pattern(2, 4 * PAGE);
            write(q, 0, data);
            assertEquals(BlkStatus.OK, op(q, ReqOp.WRITE_ZEROES, 0, PAGE, 0));
            assertFalse(map.isMapped(0), "WRITE_ZEROES without NOUNMAP may deallocate");
            assertEquals(BlkStatus.OK, op(q, ReqOp.WRITE_ZEROES, 8, PAGE, ReqFlags.NOUNMAP));
            assertTrue(map.isMapped(PAGE), "NOUNMAP keeps the page");
            assertEquals(3 * PAGE, dev.memoryUsed());
            assertEquals(BlkStatus.OK, op(q, ReqOp.WRITE_ZEROES, 17, 1024, 0));
            byte[] want = zeroed(zeroed(data, 0, 2 * PAGE), 2 * PAGE + 512, 2 * PAGE + 1536);
            assertArrayEquals(want, read(q, 0, 4 * PAGE));
            // NOUNMAP on a hole provisions zeroed pages.
            assertFalse(map.isMapped(64L * PAGE));
            assertEquals(BlkStatus.OK, op(q, ReqOp.WRITE_ZEROES, 64 * 8, 2 * PAGE, ReqFlags.NOUNMAP));
            assertTrue(map.isMapped(64L * PAGE) && map.isMapped(65L * PAGE));
            assertEquals(5 * PAGE, dev.memoryUsed());
            assertArrayEquals(new byte[2 * PAGE], read(q, 64 * 8, 2 * PAGE));
        }
    }

    @Test
    void unsupportedWithoutDiscardOrMemory() throws Exception {
        try (NullbDevice mem = NullBlkTestSupport.powered("nullb0", "size=4 memory_backed=1 poll_queues=0",
                DriverKind.SAFE, Ownership.CHECKED); SwQueue q = mem.disk().openQueue()) {
            Done d = NullBlkTestSupport.io(q, ReqOp.DISCARD, 0, PAGE, null, 0, 0);
            assertEquals(BlkStatus.NOTSUPP, d.status);
            assertTrue(d.detail.contains("DISCARD is not supported"), d.detail);
            assertEquals(BlkStatus.OK, op(q, ReqOp.WRITE_ZEROES, 0, PAGE, 0), "memory_backed serves WRITE_ZEROES");
        }
        try (NullbDevice plain = NullBlkTestSupport.powered("nullb1", "size=4 poll_queues=0", DriverKind.RAW,
                Ownership.OFF); SwQueue q = plain.disk().openQueue()) {
            Done d = NullBlkTestSupport.io(q, ReqOp.WRITE_ZEROES, 0, PAGE, null, 0, 0);
            assertEquals(BlkStatus.NOTSUPP, d.status);
            assertTrue(d.detail.contains("WRITE_ZEROES is not supported"), d.detail);
        }
    }
}
