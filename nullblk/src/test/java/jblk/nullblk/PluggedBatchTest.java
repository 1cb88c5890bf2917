package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Plugged batches go through null_queue_rqs (queueRqs); bounced requests are issued again; data holds. */
class PluggedBatchTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"raw|off|''", "safe|checked|''", "safe|off|''", "raw|off|requeue=2,100,0,-1",
        "safe|checked|requeue=2,100,0,-1", "safe|debug|requeue=3,100,0,-1", "safe|checked|mbps=2",
        "raw|off|mbps=2"})
    void pluggedWritesAndReadsCompleteOnceWithTheirData(String drv, String own, String extra) throws Exception {
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0", "size=4 poll_queues=0 memory_backed=1 irqmode=1 "
                + extra, DriverKind.parse(drv), Ownership.parse(own)); SwQueue q = dev.disk().openQueue()) {
            int n = 64;
            byte[][] data = new byte[n][];
            List<Done> writes = new ArrayList<>();
            q.startPlug();
            for (int i = 0; i < n; i++) {
                data[i] = NullBlkTestSupport.pattern(i, 4096);
                writes.add(NullBlkTestSupport.submit(q, ReqOp.WRITE, 8L * i, 4096, ByteBuffer.wrap(data[i]), 0, 0));
            }
            q.finishPlug();
            for (Done d : writes) {
                d.assertOnce(BlkStatus.OK);
            }
            List<Done> reads = new ArrayList<>();
            ByteBuffer[] bufs = new ByteBuffer[n];
            q.startPlug();
            for (int i = 0; i < n; i++) {
                bufs[i] = ByteBuffer.allocate(4096);
                reads.add(NullBlkTestSupport.submit(q, ReqOp.READ, 8L * i, 4096, bufs[i], 0, 0));
            }
            q.finishPlug();
            for (int i = 0; i < n; i++) {
                reads.get(i).assertOnce(BlkStatus.OK);
                assertArrayEquals(data[i], bufs[i].array(), "block " + i);
            }
            if (dev.violations() != null) {
                assertEquals(0, dev.violations().total(), dev.violations().toString());
            }
        }
    }
}
