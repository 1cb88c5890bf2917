package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More hardware queues than CPUs: with one queue map the tag set cuts them to {@code nr_cpu_ids}
 * ({@code blk_mq_alloc_tag_set}, {@code blk_mq_update_nr_hw_queues}); with several maps
 * {@code blk_mq_map_queues} gives each CPU to the last queue of its group and the others go unmapped.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MoreQueuesThanCpusTest {

    @Test
    void singleMapCutsQueuesToCpusAndEveryQueueGetsASubmitter() throws Exception {
        Inline drv = new Inline();
        TagSet set = TagSet.builder(drv).nrHwQueues(4).nrCpuIds(2).queueDepth(8).build();
        GenDisk disk = disk(set, "mq0");
        try (SwQueue c0 = disk.openQueue(); SwQueue c1 = disk.openQueue()) {
            assertEquals(2, set.nrHwQueues(), "4 queues on 2 CPUs with one map: cut to nr_cpu_ids");
            assertEquals(2, disk.nrHwQueues());
            assertEquals(0, c0.hctx(HctxType.DEFAULT).queueNum());
            assertEquals(1, c1.hctx(HctxType.DEFAULT).queueNum());
            for (HwQueue h : disk.hwQueues()) {
                assertEquals(0, h.state() & HwQueue.INACTIVE, h + " has a submitter: no queue is left unused");
            }
            readOk(c0, 0);
            readOk(c1, 8);
            set.updateNrHwQueues(3, 0);
            assertEquals(2, disk.nrHwQueues(), "a live update is cut the same way");
            readOk(c1, 16);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void severalMapsKeepTheQueuesAndMapEachCpuToTheLastQueueOfItsGroup() throws Exception {
        Inline drv = new Inline();
        // 3 default queues + 1 poll queue on 2 CPUs: three maps, so nothing is cut
        TagSet set = TagSet.builder(drv).nrHwQueues(4).nrPollQueues(1).nrCpuIds(2).queueDepth(8).build();
        GenDisk disk = disk(set, "mq1");
        try (SwQueue c0 = disk.openQueue(); SwQueue c1 = disk.openQueue()) {
            assertEquals(4, disk.nrHwQueues());
            QueueMap def = set.map(HctxType.DEFAULT);
            // two groups ({cpu0}, {cpu1}); queue q takes group q % 2: queue 2 takes cpu0 from queue 0
            assertEquals(2, def.hctxFor(0));
            assertEquals(1, def.hctxFor(1));
            assertEquals(3, set.map(HctxType.POLL).hctxFor(0));
            assertEquals(2, c0.hctx(HctxType.DEFAULT).queueNum());
            assertEquals(1, c1.hctx(HctxType.DEFAULT).queueNum());
            assertNotEquals(0, disk.hwQueue(0).state() & HwQueue.INACTIVE, "queue 0 has no CPU left: unmapped");
            readOk(c0, 0);
            readOk(c1, 8);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void nrCpuIdsPropertyIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TagSet.nrCpuIdsFrom("0"));
        assertTrue(e.getMessage().contains("jblk.nr_cpu_ids") && e.getMessage().contains("1..4096"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TagSet.nrCpuIdsFrom("two"));
        assertTrue(e.getMessage().contains("jblk.nr_cpu_ids=two"), e.getMessage());
        assertEquals(3, TagSet.nrCpuIdsFrom(" 3"));
        assertEquals(Runtime.getRuntime().availableProcessors(), TagSet.nrCpuIdsFrom(null));
    }
}
