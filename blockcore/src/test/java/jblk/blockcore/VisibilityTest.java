package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a kernel developer reads to see a disk's state: the freeze depth, each software context's
 * waiting requests (debugfs {@code hctxN/cpuM/*_rq_list}), {@code /proc/diskstats} and
 * {@code /sys/block/<dev>/queue/nr_requests}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VisibilityTest {

    @Test
    void freezeDepthCountsNestedFreezes() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = diskNone(set, "vis0");
        try {
            assertEquals(0, disk.freezeDepth());
            disk.freeze();
            disk.freeze();
            assertEquals(2, disk.freezeDepth());
            assertEquals("2\n", disk.debugfs().get("freeze_depth"));
            disk.unfreeze();
            assertEquals("1\n", disk.debugfs().get("freeze_depth"));
            assertTrue(disk.isFrozen());
            disk.unfreeze();
            assertEquals(0, disk.freezeDepth());
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    @SuppressWarnings("try") // the first context only has to exist (its hints), it is not used
    void debugfsShowsWhatWaitsOnEachSoftwareContext() throws Exception {
        Inline drv = new Inline();
        TagSet set = TagSet.builder(drv).nrHwQueues(1).nrCpuIds(2).queueDepth(16).build();
        GenDisk disk = diskNone(set, "vis1");
        try (SwQueue unused = disk.openQueue(); SwQueue c1 = disk.openQueue()) {
            disk.quiesce(); // requests wait on their context's list until the queue runs again
            Done d = new Done();
            c1.submitBio(read(24, 4096, d));
            Map<String, String> fs = disk.debugfs();
            assertEquals("", fs.get("hctx0/cpu0/default_rq_list"));
            String waiting = fs.get("hctx0/cpu1/read_rq_list") + fs.get("hctx0/cpu1/default_rq_list");
            assertTrue(waiting.contains(".op=READ") && waiting.contains(".sector=24"), fs.toString());
            assertTrue(fs.containsKey("hctx0/cpu1/poll_rq_list"));
            disk.unquiesce();
            assertEquals(BlkStatus.OK, d.await().status);
            awaitTrue("the context's list is empty again", () -> {
                Map<String, String> f = disk.debugfs();
                return f.get("hctx0/cpu1/read_rq_list").isEmpty() && f.get("hctx0/cpu1/default_rq_list").isEmpty();
            });
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void procDiskstatsListsEveryOpenDisk() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk a = diskNone(set, "vis2a");
        GenDisk b = diskNone(set, "vis2b");
        try (SwQueue q = b.openQueue()) {
            readOk(q, 0);
            readOk(q, 8);
            String all = BlockDevices.procDiskstats();
            String la = line(all, "vis2a");
            String lb = line(all, "vis2b");
            String[] fb = lb.trim().split("\\s+");
            assertEquals(3 + 17, fb.length, "major minor name and the 17 stat fields: " + lb);
            assertEquals(Integer.toString(BlockDevices.MAJOR), fb[0]);
            assertEquals(Integer.toString(b.minor()), fb[1]);
            assertEquals("2", fb[3], "reads completed: " + lb);
            assertEquals("16", fb[5], "sectors read: " + lb);
            assertEquals("0", la.trim().split("\\s+")[3]);
            assertNotEquals(a.minor(), b.minor());
            a.close();
            assertFalse(BlockDevices.procDiskstats().contains(" vis2a "), "a closed disk leaves the listing");
        } finally {
            closeQuietly(set, a, b);
        }
    }

    @Test
    void nrRequestsReadsLikeSysfsAndFollowsTheDepth() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = diskNone(set, "vis3");
        try {
            Map<String, String> qf = disk.sysfsQueue();
            assertEquals("16", qf.get("nr_requests"));
            assertEquals("512", qf.get("logical_block_size"));
            assertEquals("write through", qf.get("write_cache"));
            assertEquals("30000", qf.get("io_timeout"));
            set.updateQueueDepth(8);
            assertEquals("8", disk.sysfsQueue().get("nr_requests"));
        } finally {
            closeQuietly(set, disk);
        }
    }

    private static String line(String diskstats, String name) {
        for (String l : diskstats.split("\n")) {
            if (l.contains(" " + name + " ")) {
                return l;
            }
        }
        return fail(name + " is not in /proc/diskstats:\n" + diskstats);
    }
}
