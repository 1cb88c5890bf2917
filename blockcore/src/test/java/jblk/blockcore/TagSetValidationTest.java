package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Invalid tag set parameters: IllegalArgumentException naming the parameter and the allowed range. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TagSetValidationTest {

    static void expectIae(Executable e, String... words) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String w : words) {
            assertTrue(ex.getMessage().contains(w), "message '" + ex.getMessage() + "' should mention '" + w + "'");
        }
    }

    @Test
    void queueDepth() {
        expectIae(() -> TagSet.builder(new Inline()).queueDepth(0).build(), "queue_depth", "0", "1..65536");
        expectIae(() -> TagSet.builder(new Inline()).queueDepth(65537).build(), "queue_depth", "65537", "1..65536");
        expectIae(() -> TagSet.builder(new Inline()).queueDepth(-1).build(), "queue_depth", "1..65536");
        TagSet min = TagSet.builder(new Inline()).queueDepth(1).build();
        assertEquals(1, min.queueDepth());
        min.close();
    }

    @Test
    void maxQueueDepthIsAccepted() throws Exception {
        TagSet max = TagSet.builder(new Inline()).queueDepth(TagSet.MAX_DEPTH).build();
        GenDisk d = disk(max, "maxdepth");
        try (SwQueue q = d.openQueue()) {
            assertEquals(65536, d.hwQueue(0).tags().nrTags());
            readOk(q, 0);
        } finally {
            closeQuietly(max, d);
        }
    }

    @Test
    void hwQueues() {
        expectIae(() -> TagSet.builder(new Inline()).nrHwQueues(0).build(), "nr_hw_queues", "0", "1..256");
        expectIae(() -> TagSet.builder(new Inline()).nrHwQueues(257).build(), "nr_hw_queues", "1..256");
        expectIae(() -> TagSet.builder(new Inline()).nrHwQueues(2).nrPollQueues(2).build(), "poll queues", "0..1");
        expectIae(() -> TagSet.builder(new Inline()).nrPollQueues(-1).build(), "poll queues");
    }

    @Test
    void reservedTags() {
        expectIae(() -> TagSet.builder(new Inline()).queueDepth(8).reservedTags(8).build(), "reserved_tags", "8",
                "0..7");
        expectIae(() -> TagSet.builder(new Inline()).queueDepth(8).reservedTags(9).build(), "reserved_tags", "0..7");
        expectIae(() -> TagSet.builder(new Inline()).reservedTags(-1).build(), "reserved_tags");
        TagSet ok = TagSet.builder(new Inline()).queueDepth(8).reservedTags(7).build();
        assertEquals(7, ok.reservedTags());
        ok.close();
    }

    @Test
    void timeout() {
        expectIae(() -> TagSet.builder(new Inline()).timeout(Duration.ZERO).build(), "timeout", "1 ms");
        expectIae(() -> TagSet.builder(new Inline()).timeout(Duration.ofMillis(-5)).build(), "timeout", "1 ms");
        expectIae(() -> TagSet.builder(new Inline()).timeout(Duration.ofNanos(500)).build(), "timeout", "1 ms");
        expectIae(() -> TagSet.builder(new Inline()).timeout(null).build(), "timeout");
        TagSet ok = TagSet.builder(new Inline()).timeout(Duration.ofMillis(1)).build();
        assertEquals(Duration.ofMillis(1), ok.timeout());
        ok.close();
        TagSet def = TagSet.builder(new Inline()).build();
        assertEquals(Duration.ofSeconds(30), def.timeout(), "default timeout as in the kernel");
        def.close();
    }

    @Test
    void opsAndCpus() {
        expectIae(() -> TagSet.builder(null), "ops");
        expectIae(() -> TagSet.builder(new Inline()).nrCpuIds(0).build(), "nr_cpu_ids");
    }

    @Test
    void updatesAreCheckedToo() throws Exception {
        TagSet set = TagSet.builder(new Inline()).queueDepth(8).reservedTags(2).build();
        GenDisk d = disk(set, "upd");
        try {
            expectIae(() -> set.updateNrHwQueues(0, 0), "nr_hw_queues", "1..256");
            expectIae(() -> set.updateNrHwQueues(2, 2), "poll queues", "0..1");
            expectIae(() -> set.updateQueueDepth(2), "queue_depth", "3..65536");
            expectIae(() -> set.updateQueueDepth(65537), "queue_depth");
            assertEquals(1, set.nrHwQueues());
            assertEquals(8, set.queueDepth());
            try (SwQueue q = d.openQueue()) {
                readOk(q, 0);
            }
        } finally {
            closeQuietly(set, d);
        }
    }

    @Test
    void closeWithOpenDiskIsRefused() {
        TagSet set = TagSet.builder(new Inline()).build();
        GenDisk d = disk(set, "open");
        IllegalStateException e = assertThrows(IllegalStateException.class, set::close);
        assertTrue(e.getMessage().contains("disk"), e.getMessage());
        assertFalse(set.isClosed());
        d.close();
        set.close();
        assertTrue(set.isClosed());
        assertThrows(IllegalStateException.class, () -> disk(set, "late"));
    }
}
