package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NullbParams defaults are the kernel's (drivers/block/null_blk/main.c). */
class NullbParamsDefaultsTest {

    @ParameterizedTest
    @CsvSource({
        "queue_mode, 2", "submit_queues, 1", "poll_queues, 1", "gb, 250", "size, 0", "bs, 512", "max_sectors, 0",
        "nr_devices, 1", "irqmode, 1", "completion_nsec, 10000", "hw_queue_depth, 64", "memory_backed, 0",
        "discard, 0", "cache_size, 0", "fua, 1", "mbps, 0", "blocking, 0", "shared_tags, 0", "shared_tag_bitmap, 0",
        "no_sched, 0", "rotational, 0", "virt_boundary, 0", "home_node, -1", "use_per_node_hctx, 0", "zoned, 0",
        "badblocks_once, 0", "badblocks_partial_io, 0", "iostats, 1"})
    void defaultValue(String name, String value) {
        assertEquals(value, new NullbParams().get(name), name);
        assertEquals(value, NullbParams.parse("").get(name), name);
        assertFalse(NullbParams.parse(null).isSet(name));
    }

    @Test
    void faultAndBadBlockDefaultsAreEmpty() {
        NullbParams p = new NullbParams();
        assertEquals("", p.timeoutFault());
        assertEquals("", p.requeueFault());
        assertEquals("", p.initHctxFault());
        assertEquals("", p.badblocks());
    }

    @Test
    void typedViewsOfTheDefaults() {
        NullbParams p = new NullbParams();
        assertEquals(1, p.submitQueues());
        assertEquals(1, p.pollQueues());
        assertEquals(250L * 1024, p.capacityMiB());
        assertEquals(250L << 30 >> 9, p.capacitySectors(), "250 GiB in 512-byte sectors");
        assertEquals(512, p.blockSize());
        assertEquals(0, p.maxSectors());
        assertEquals(1, p.nrDevices());
        assertEquals(1, p.irqmode());
        assertEquals(10_000L, p.completionNsec());
        assertEquals(64, p.hwQueueDepth());
        assertFalse(p.memoryBacked());
        assertFalse(p.discard());
        assertEquals(0, p.cacheSizeMiB());
        assertTrue(p.fua());
        assertEquals(0, p.mbps());
        assertFalse(p.blocking());
        assertFalse(p.sharedTags());
        assertFalse(p.sharedTagBitmap());
        assertFalse(p.rotational());
        assertFalse(p.virtBoundary());
        assertFalse(p.badblocksOnce());
        assertFalse(p.badblocksPartialIo());
        assertTrue(p.iostats());
        assertEquals("", p.toString(), "nothing differs from the defaults");
    }

    @Test
    void everyParameterIsKnownAndDescribed() {
        List<String> names = NullbParams.names();
        assertEquals("queue_mode", names.get(0));
        for (String n : List.of("queue_mode", "submit_queues", "poll_queues", "gb", "size", "bs", "max_sectors",
                "nr_devices", "irqmode", "completion_nsec", "hw_queue_depth", "memory_backed", "discard",
                "cache_size", "mbps", "blocking", "shared_tags", "shared_tag_bitmap", "no_sched", "rotational",
                "virt_boundary", "timeout", "requeue", "init_hctx", "badblocks", "badblocks_once",
                "badblocks_partial_io", "iostats")) {
            assertTrue(names.contains(n), n);
        }
        String table = NullbParams.describe();
        for (String n : names) {
            assertTrue(table.contains(n), n + " missing from describe()");
        }
        assertTrue(table.contains("<interval>,<probability>,<space>,<times>"));
    }
}
