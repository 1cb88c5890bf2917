package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every invalid value is refused with one message naming the parameter, the value and what is allowed. */
class NullbParamsRefusalTest {

    private static String refusal(String args) {
        return assertThrows(IllegalArgumentException.class, () -> NullbParams.parse(args)).getMessage();
    }

    @ParameterizedTest
    @CsvSource({
        "submit_queues, 0, 1, 255", "submit_queues, 256, 1, 255",
        "poll_queues, -1, 0, 255", "poll_queues, 256, 0, 255",
        "gb, 0, 1, 1048576", "gb, 1048577, 1, 1048576",
        "size, -1, 0, 1073741824", "size, 1073741825, 0, 1073741824",
        "bs, 256, 512, 4096", "bs, 8192, 512, 4096",
        "max_sectors, -1, 0, 4194304", "max_sectors, 4194305, 0, 4194304",
        "nr_devices, 0, 1, 64", "nr_devices, 65, 1, 64",
        "irqmode, -1, 0, 2", "irqmode, 3, 0, 2",
        "completion_nsec, -1, 0, 60000000000", "completion_nsec, 60000000001, 0, 60000000000",
        "hw_queue_depth, 0, 1, 65536", "hw_queue_depth, 65537, 1, 65536",
        "cache_size, -1, 0, 1048576", "cache_size, 1048577, 0, 1048576",
        "mbps, -1, 0, 40960", "mbps, 40961, 0, 40960",
        "home_node, -2, -1, 1023", "home_node, 1024, -1, 1023"})
    void outOfRange(String name, String value, long min, long max) {
        assertEquals(name + "=" + value + " is out of range: allowed " + min + ".." + max,
                refusal(name + "=" + value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "3"})
    void queueModeOtherThan2IsRefused(String v) {
        String m = refusal("queue_mode=" + v);
        assertTrue(m.startsWith("queue_mode=" + v + " is out of range: allowed 2..2"), m);
        assertTrue(m.contains("queue_mode 0 and 1 are gone"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1000", "768", "3072", "513"})
    void blockSizeMustBeAPowerOfTwo(String v) {
        assertEquals("bs=" + v + " is invalid: allowed a power of two in 512..4096", refusal("bs=" + v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "7"})
    void maxSectorsBelow8IsRefused(String v) {
        assertEquals("max_sectors=" + v + " is out of range: allowed 0 (default) or 8..4194304",
                refusal("max_sectors=" + v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "1.5", "0x", "12k"})
    void nonIntegerIsRefused(String v) {
        assertEquals("irqmode=" + v + " is invalid: allowed an integer in 0..2", refusal("irqmode=" + v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "maybe", "", "-1"})
    void nonBooleanIsRefused(String v) {
        assertEquals("memory_backed=" + v + " is invalid: allowed 0 or 1 (also y/n)", refusal("memory_backed=" + v));
    }

    @ParameterizedTest
    @ValueSource(strings = {"use_per_node_hctx"})
    void unmodelledFeaturesAreRefused(String name) {
        String m = refusal(name + "=1");
        assertTrue(m.startsWith(name + "=1 is not supported") && m.endsWith("allowed 0"), m);
        assertEquals("0", NullbParams.parse(name + "=0").get(name));
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        String m = refusal("irqmode=0 foo=1");
        assertTrue(m.startsWith("unknown null_blk parameter 'foo': known parameters are "), m);
        for (String n : NullbParams.names()) {
            assertTrue(m.contains(n), n + " not listed in: " + m);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"irqmode", "=1", "=", "irqmode:1"})
    void tokenWithoutNameValueIsRefused(String tok) {
        assertEquals("null_blk parameter '" + tok + "' is invalid: expected name=value", refusal(tok));
    }

    @Test
    void discardWithoutMemoryBackedIsRefused() {
        String m = refusal("discard=1");
        assertTrue(m.contains("discard=1") && m.contains("memory_backed=1"), m);
    }

    @Test
    void cacheWithoutMemoryBackedIsRefused() {
        String m = refusal("cache_size=16");
        assertTrue(m.contains("cache_size=16") && m.contains("memory_backed=1"), m);
    }

    @Test
    void tooManyHardwareQueuesInAllAreRefused() {
        assertEquals("submit_queues=200 + poll_queues=100 is 300 hardware queues: allowed at most 256",
                refusal("submit_queues=200 poll_queues=100"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"timeout", "requeue", "init_hctx"})
    void malformedFaultSpecIsRefused(String name) {
        for (String spec : new String[] {"1,2,3", "1,2,3,4,5", "a,b,c,d", "0,100,0,1", "1,101,0,1", "1,-1,0,1",
                "1,50,-1,1", "1,50,0,0", "1,50,0,-2", "1;100;0;1"}) {
            String m = refusal(name + "=" + spec);
            assertEquals(name + "=" + spec + " is invalid: expected <interval>,<probability>,<space>,<times>"
                    + " (interval >= 1, probability 0..100 percent, space >= 0, times >= 1 or -1 for unlimited)", m);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"100-200", "+100", "+a-b", "+200-100", "+-5-10", "*1-2", "+1-2,3-4", "+5-"})
    void malformedBadBlocksAreRefused(String v) {
        assertEquals("badblocks=" + v + " is invalid: expected +start-end or -start-end"
                + " (sectors, inclusive, start <= end), comma-separated", refusal("badblocks=" + v));
    }

    @Test
    void aRefusedSetKeepsThePreviousValue() {
        NullbParams p = NullbParams.parse("irqmode=2");
        assertThrows(IllegalArgumentException.class, () -> p.set("irqmode", "7"));
        assertEquals(2, p.irqmode());
        assertThrows(IllegalArgumentException.class, () -> p.get("nope"));
    }
}
