package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * The data path allocates nothing per request: the marginal heap allocation of the connection
 * threads between a short and a long connection (same setup, more requests) is measured with
 * HotSpot's per-thread allocation counter. Not a timing test: the number is exact.
 */
@Timeout(120)
class AllocationTest {
    /**
     * Runs {@code n} pipelined 4 KiB writes and reads (16 in flight) on a new connection; the server's allocation
     * delta.
     */
    private static long connection(Served s, int n) throws Exception {
        long before = s.server.transmissionAllocatedBytes();
        try (RawClient c = RawClient.open(s.socket(), true, false)) {
            int depth = 16;
            byte[] payload = new byte[4096];
            ByteBuffer b = ByteBuffer.allocate(depth * (28 + 4096));
            for (int done = 0; done < n; done += depth) {
                b.clear();
                for (int i = 0; i < depth; i++) {
                    boolean write = (i & 1) == 0;
                    b.putInt(NbdProto.REQUEST_MAGIC).putShort((short) 0)
                            .putShort((short) (write ? NbdProto.CMD_WRITE : NbdProto.CMD_READ))
                            .putLong(i).putLong(((done + i) % 4096) * 4096L).putInt(4096);
                    if (write) {
                        b.put(payload);
                    }
                }
                c.send(b.flip());
                // Replies come in completion order: simple ones for writes, OFFSET_DATA chunks for reads.
                for (int i = 0; i < depth; i++) {
                    int magic = c.readN(4).getInt();
                    if (magic == NbdProto.SIMPLE_REPLY_MAGIC) {
                        assertEquals(0, c.readN(12).getInt(), "write error");
                    } else {
                        assertEquals(NbdProto.STRUCTURED_REPLY_MAGIC, magic);
                        ByteBuffer h = c.readN(16);
                        assertEquals(NbdProto.REPLY_TYPE_OFFSET_DATA, h.getShort(2));
                        c.readN(h.getInt(12));
                    }
                }
            }
            c.disc();
            assertTrue(c.atEof());
        }
        s.assertIdle();
        return s.server.transmissionAllocatedBytes() - before;
    }

    // Ownership OFF only: CHECKED and DEBUG hand the driver a fresh token per request
    // (OperationsVTable makes a CheckedRequestRef, 32 bytes), which is the safety layer's design.
    @ParameterizedTest(name = "{0} driver, ownership {1}")
    @CsvSource({"RAW, OFF", "SAFE, OFF"})
    void noHeapAllocationPerRequest(DriverKind driver, Ownership own) throws Exception {
        // iostats=0: blockcore's io_ticks update (at most once per millisecond) builds lists of the
        // allocated requests (RequestQueue.allocatedRequests), about 2 bytes per request here; that is
        // the core's, reported separately, and would hide what this server allocates.
        try (Served s = Served.start("memory_backed=1 size=16 irqmode=0 iostats=0", driver, own, "", false)) {
            if (ThreadAllocation.current() < 0) {
                return; // a JVM without per-thread allocation counters: nothing to measure
            }
            connection(s, 40_000); // warm up: JIT compilation
            long shortRun = connection(s, 4_000);
            long longRun = connection(s, 36_000);
            double perRequest = (longRun - shortRun) / 32_000.0;
            System.out.printf(driver + "/" + own
                    + ": nbd allocation: %d bytes for 4000 requests, %d for 36000: %.2f bytes/request%n",
                    shortRun, longRun, perRequest);
            assertTrue(perRequest < 0.5, "the data path allocates " + perRequest + " bytes per request");
        }
    }
}
