package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requeue and timeout injection: every bio completes exactly once, with TIMEOUT or (eventually) OK. */
class FaultInjectionIoTest {
    private static final int BIOS = 60;

    private static NullbDevice device(String drv, String own, String params, long seed) {
        NullbDevice d = new NullbDevice("nullb0", NullbParams.parse("size=4 poll_queues=0 hw_queue_depth=64 " + params),
                DriverKind.parse(drv), Ownership.parse(own)).seed(seed).timeout(NullBlkTestSupport.ms(200));
        d.power(true);
        return d;
    }

    /** Submits {@link #BIOS} bios at once, waits for all, checks each completed once; statuses by kind. */
    private static Map<BlkStatus, Integer> run(NullbDevice dev) throws Exception {
        List<Done> done = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (SwQueue q = dev.disk().openQueue()) {
            for (int i = 0; i < BIOS; i++) {
                done.add(NullBlkTestSupport.submit(q, i % 3 == 0 ? ReqOp.WRITE : ReqOp.READ, 8L * i, 4096, buf, 0, 0));
            }
            Map<BlkStatus, Integer> by = new EnumMap<>(BlkStatus.class);
            for (Done d : done) {
                by.merge(d.await(), 1, Integer::sum);
            }
            // A late duplicate would come from the completion or timeout contexts: give them a beat.
            Thread.sleep(100);
            for (int i = 0; i < BIOS; i++) {
                assertEquals(1, done.get(i).calls.get(), "bio " + i + " completions");
            }
            return by;
        }
    }

    private static void assertNoViolations(NullbDevice dev) {
        if (dev.violations() != null) {
            assertEquals(0, dev.violations().total(), "the safe driver made no ownership mistake: " + dev.violations());
        }
    }

    @ParameterizedTest
    @CsvSource({"raw,off,0", "raw,off,1", "raw,off,2", "safe,off,1", "safe,checked,0", "safe,checked,1",
        "safe,checked,2", "safe,debug,1"})
    void timeoutInjectionEndsTheChosenRequestsWithTimeout(String drv, String own, int irqmode) throws Exception {
        try (NullbDevice dev = device(drv, own, "irqmode=" + irqmode + " timeout=5,100,0,-1", 1)) {
            Map<BlkStatus, Integer> by = run(dev);
            assertEquals(BIOS / 5, by.getOrDefault(BlkStatus.TIMEOUT, 0), by.toString());
            assertEquals(BIOS - BIOS / 5, by.getOrDefault(BlkStatus.OK, 0), by.toString());
            assertEquals(BIOS / 5, dev.engine().faultCounts()[0]);
            assertNoViolations(dev);
        }
    }

    @ParameterizedTest
    @CsvSource({"raw,off,0", "raw,off,1", "safe,off,1", "safe,checked,0", "safe,checked,1", "safe,debug,2"})
    void requeueInjectionCompletesEveryBioOk(String drv, String own, int irqmode) throws Exception {
        try (NullbDevice dev = device(drv, own, "irqmode=" + irqmode + " requeue=3,100,0,-1", 1)) {
            Map<BlkStatus, Integer> by = run(dev);
            assertEquals(Map.of(BlkStatus.OK, BIOS), by);
            long requeued = dev.engine().faultCounts()[1];
            assertTrue(requeued >= BIOS / 3, "every third dispatch was bounced: " + requeued);
            assertNoViolations(dev);
        }
    }

    @ParameterizedTest
    @CsvSource({"raw,off", "safe,checked", "safe,off"})
    void bothFaultsAtRandomStillCompleteEveryBioOnce(String drv, String own) throws Exception {
        try (NullbDevice dev = device(drv, own, "irqmode=1 timeout=1,10,0,-1 requeue=1,20,0,-1", 7)) {
            Map<BlkStatus, Integer> by = run(dev);
            int timeouts = by.getOrDefault(BlkStatus.TIMEOUT, 0);
            assertEquals(BIOS, timeouts + by.getOrDefault(BlkStatus.OK, 0), by.toString());
            assertTrue(timeouts <= dev.engine().faultCounts()[0]);
            assertTrue(dev.engine().faultCounts()[1] > 0, "requeue fired");
            assertNoViolations(dev);
        }
    }
}
