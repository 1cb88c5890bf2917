package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The debugfs tree: per-hctx state, dispatch, busy, tags; and what a held request looks like there. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DebugfsTest {

    @Test
    @SuppressWarnings("try") // the open context is the point, not the variable
    void filesAndTagsDump() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).queueDepth(16).reservedTags(2).build();
        GenDisk disk = disk(set, "dbg0");
        try {
            Map<String, String> fs = disk.debugfs();
            for (String f : new String[] {"state", "requeue_list", "hctx0/state", "hctx0/type", "hctx0/dispatch",
                    "hctx0/busy", "hctx0/tags", "hctx0/active"}) {
                assertTrue(fs.containsKey(f), "debugfs has " + f + ": " + fs.keySet());
            }
            assertEquals("", fs.get("hctx0/dispatch"));
            assertEquals("", fs.get("hctx0/busy"));
            assertEquals("default\n", fs.get("hctx0/type"));
            String tags = fs.get("hctx0/tags");
            assertTrue(tags.contains("nr_tags=16\n"), tags);
            assertTrue(tags.contains("nr_reserved_tags=2\n"), tags);
            assertTrue(tags.contains("bitmap_tags:\n"), tags);
            assertTrue(tags.contains("breserved_tags:\n"), tags);
            assertTrue(tags.contains("depth=14\n"), "normal bitmap depth = 16 - 2 reserved: " + tags);
            assertTrue(tags.contains("depth=2\n"), tags);
            assertTrue(tags.contains("busy=0\n"), tags);
            assertEquals("INACTIVE\n", fs.get("hctx0/state"), "no submitting context maps to hctx0 yet");
            try (SwQueue unused = disk.openQueue()) { // an open context makes the hctx active
                assertEquals("\n", disk.debugfs().get("hctx0/state"), "an active, idle, unshared hctx: no flags");
            }
            assertEquals("\n", fs.get("state"), "not quiesced, frozen or dying");
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void heldRequestShowsUpInBusy() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).queueDepth(8).build();
        GenDisk disk = disk(set, "dbg1");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(write(96, 8192, d).flags(ReqFlags.SYNC));
            Request rq = drv.take();
            Map<String, String> fs = disk.debugfs();
            String busy = fs.get("hctx0/busy");
            assertEquals(1, busy.lines().count(), busy);
            assertTrue(busy.contains(".op=WRITE"), busy);
            assertTrue(busy.contains(".state=in_flight"), busy);
            assertTrue(busy.contains(".tag=" + rq.tag() + ","), busy);
            assertTrue(busy.contains(".sector=96"), busy);
            assertTrue(busy.contains(".bytes=8192"), busy);
            assertTrue(busy.contains(".cmd_flags=SYNC"), busy);
            String tags = fs.get("hctx0/tags");
            assertTrue(tags.contains("busy=1\n"), tags);
            assertEquals("", fs.get("hctx0/dispatch"));
            assertTrue(disk.debugInfo().contains("# dbg1/hctx0/busy\n"), "debugInfo has a header per file");

            BlkMq.endRequest(rq, BlkStatus.OK);
            d.await();
            fs = disk.debugfs();
            assertEquals("", fs.get("hctx0/busy"), "ended requests leave busy");
            assertTrue(fs.get("hctx0/tags").contains("busy=0\n"));
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void showRqAndExtraSections() throws Exception {
        Holding drv = new Holding() {
            @Override
            public String showRq(Request rq) {
                return "drv=hello";
            }
        };
        TagSet set = TagSet.builder(drv).queueDepth(4).build();
        GenDisk disk = disk(set, "dbg2");
        disk.addDebugSection("safety/ownership", () -> "mode=checked\n");
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(read(0, 4096, d));
            Request rq = drv.take();
            Map<String, String> fs = disk.debugfs();
            assertTrue(fs.get("hctx0/busy").contains("drv=hello"), fs.get("hctx0/busy"));
            assertEquals("mode=checked\n", fs.get("safety/ownership"));
            BlkMq.endRequest(rq, BlkStatus.OK);
            d.await();
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void oneDirectoryPerHctx() throws Exception {
        Inline drv = new Inline();
        TagSet set = TagSet.builder(drv).nrHwQueues(3).nrPollQueues(1).build();
        GenDisk disk = disk(set, "dbg3");
        try {
            Map<String, String> fs = disk.debugfs();
            assertTrue(fs.containsKey("hctx2/tags"));
            assertFalse(fs.containsKey("hctx3/tags"));
            assertEquals("poll\n", fs.get("hctx2/type"));
            assertEquals("default\n", fs.get("hctx1/type"));
        } finally {
            closeQuietly(set, disk);
        }
    }
}
