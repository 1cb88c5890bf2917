package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.assertReads;
import static jblk.nullblk.NullBlkTestSupport.op;
import static jblk.nullblk.NullBlkTestSupport.pattern;
import static jblk.nullblk.NullBlkTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A memory budget smaller than the disk: writes past it fail with NOSPC; data and service survive. */
class NoSpaceTest {
    private static final int PAGE = 4096;
    private static final int BUDGET_PAGES = 32;

    @ParameterizedTest
    @CsvSource({"raw,off,0", "safe,checked,1", "safe,checked,0", "raw,off,1"})
    void writesPastTheBudgetFailWithNospcAndEarlierDataStays(String drv, String own, int cacheMiB) throws Exception {
        String cache = cacheMiB > 0 ? " cache_size=" + cacheMiB : "";
        NullbDevice dev = new NullbDevice("nullb0", NullbParams.parse("size=4 poll_queues=0 memory_backed=1 discard=1"
                + " irqmode=1" + cache), DriverKind.parse(drv), Ownership.parse(own))
                .memoryBudget((long) BUDGET_PAGES * PAGE);
        dev.power(true);
        try (dev; SwQueue q = dev.disk().openQueue()) {
            int ok = 0;
            int nospc = 0;
            for (int p = 0; p < 2 * BUDGET_PAGES; p++) {
                NullBlkTestSupport.Done d = NullBlkTestSupport.io(q, ReqOp.WRITE, (long) p * 8, PAGE,
                        ByteBuffer.wrap(pattern(p, PAGE)), 0, 0);
                if (d.status == BlkStatus.OK) {
                    assertEquals(0, nospc, "no write succeeds after the budget ran out (page " + p + ")");
                    ok++;
                } else {
                    assertEquals(BlkStatus.NOSPC, d.status, "page " + p);
                    nospc++;
                }
            }
            assertEquals(BUDGET_PAGES, ok, "exactly the budget's pages were written");
            assertEquals(BUDGET_PAGES, nospc);
            assertTrue(dev.memoryUsed() <= (long) BUDGET_PAGES * PAGE);
            for (int p = 0; p < BUDGET_PAGES; p++) {
                assertReads(q, (long) p * 8, pattern(p, PAGE));
            }
            assertReads(q, (long) BUDGET_PAGES * 8, new byte[PAGE]); // the failed write left a hole
            // Freeing pages makes room again.
            assertEquals(BlkStatus.OK, op(q, ReqOp.DISCARD, 8, 2 * PAGE, 0));
            write(q, 100 * 8, pattern(1001, 2 * PAGE));
            assertReads(q, 100 * 8, pattern(1001, 2 * PAGE));
            assertEquals(BlkStatus.OK, op(q, ReqOp.FLUSH, 0, 0, 0));
            assertReads(q, 100 * 8, pattern(1001, 2 * PAGE));
            assertReads(q, 0, pattern(0, PAGE));
            assertReads(q, 8, new byte[2 * PAGE]);
            if (cacheMiB == 0) {
                // Without a cache, rewriting a page that exists needs no new memory.
                write(q, 0, pattern(1000, PAGE));
                assertReads(q, 0, pattern(1000, PAGE));
            }
        }
    }
}
