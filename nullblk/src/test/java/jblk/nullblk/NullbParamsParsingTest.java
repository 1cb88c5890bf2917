package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing name=value pairs the way modprobe takes them: booleans, hex, size vs gb, repeated names. */
class NullbParamsParsingTest {

    @ParameterizedTest
    @CsvSource({"1,1", "0,0", "y,1", "n,0", "Y,1", "N,0", "yes,1", "no,0", "on,1", "off,0", "true,1", "false,0"})
    void booleansAsKstrtoboolReadsThem(String in, String out) {
        NullbParams p = NullbParams.parse("memory_backed=" + in);
        assertEquals(out, p.get("memory_backed"));
        assertEquals(out.equals("1"), p.memoryBacked());
    }

    @ParameterizedTest
    @CsvSource({"0x40,64", "0X10,16", "64,64", "010,8", "+5,5"})
    void integersTakeDecimalHexAndOctal(String in, int out) {
        assertEquals(out, NullbParams.parse("hw_queue_depth=" + in).hwQueueDepth());
    }

    @Test
    void sizeWinsOverGb() {
        assertEquals(64, NullbParams.parse("gb=4 size=64").capacityMiB());
        assertEquals(64, NullbParams.parse("size=64 gb=4").capacityMiB());
        assertEquals(4096, NullbParams.parse("gb=4").capacityMiB());
        assertEquals(64L << 11, NullbParams.parse("size=64").capacitySectors());
        assertEquals(1L << 21, NullbParams.parse("gb=1").capacitySectors());
    }

    @Test
    void whitespaceAndRepeatedNames() {
        NullbParams p = NullbParams.parse("  irqmode=0\tbs=4096   irqmode=2 \n submit_queues=3 ");
        assertEquals(2, p.irqmode(), "the last value wins, as with a repeated modprobe argument");
        assertEquals(4096, p.blockSize());
        assertEquals(3, p.submitQueues());
        assertTrue(p.isSet("irqmode"));
        assertFalse(p.isSet("gb"));
    }

    @Test
    void toStringListsWhatDiffersAndRoundTrips() {
        NullbParams p = NullbParams.parse("irqmode=0 bs=4096 memory_backed=y timeout=10,50,0,-1 badblocks=+8-15");
        assertEquals("bs=4096 irqmode=0 memory_backed=1 timeout=10,50,0,-1 badblocks=+8-15", p.toString());
        NullbParams q = NullbParams.parse(p.toString());
        for (String n : NullbParams.names()) {
            assertEquals(p.get(n), q.get(n), n);
        }
    }

    @Test
    void faultSpecsAndBadBlocksAreKept() {
        NullbParams p = NullbParams.parse(
                "timeout=10,50,0,-1 requeue=1,100,2,3 init_hctx=1,100,0,1 badblocks=+0-7,-2-3");
        assertEquals("10,50,0,-1", p.timeoutFault());
        assertEquals("1,100,2,3", p.requeueFault());
        assertEquals("1,100,0,1", p.initHctxFault());
        assertEquals("+0-7,-2-3", p.badblocks());
    }

    @Test
    void memoryBackedImpliesBlocking() {
        assertTrue(NullbParams.parse("memory_backed=1").blocking());
        assertTrue(NullbParams.parse("blocking=1").blocking());
        assertFalse(NullbParams.parse("").blocking());
    }

    @Test
    void setChangesOneParameterAndCopyIsIndependent() {
        NullbParams p = NullbParams.parse("irqmode=0");
        NullbParams c = p.copy();
        p.set("irqmode", "2");
        assertEquals(2, p.irqmode());
        assertEquals(0, c.irqmode());
        assertTrue(c.isSet("irqmode"));
    }

    @Test
    void discardAndCacheWithMemoryBackedAreAccepted() {
        NullbParams p = NullbParams.parse("memory_backed=1 discard=1 cache_size=16");
        assertTrue(p.discard());
        assertEquals(16, p.cacheSizeMiB());
    }

    @Test
    void limitsAreAccepted() {
        NullbParams p = NullbParams.parse("submit_queues=255 poll_queues=1 hw_queue_depth=65536 bs=4096 max_sectors=8"
                + " nr_devices=64 irqmode=2 completion_nsec=0 mbps=40960 home_node=1023 gb=1048576 queue_mode=2");
        assertEquals(255, p.submitQueues());
        assertEquals(65536, p.hwQueueDepth());
        assertEquals(8, p.maxSectors());
        assertEquals(64, p.nrDevices());
        assertEquals(40960, p.mbps());
    }
}
