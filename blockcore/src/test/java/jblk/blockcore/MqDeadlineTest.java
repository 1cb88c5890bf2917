package jblk.blockcore;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mq-deadline's dispatch rules, on the scheduler alone: requests are built by hand and inserted,
 * and the order {@code dispatchRequest} returns them in is the kernel's.
 */
class MqDeadlineTest {
    private final MqDeadline dd = new MqDeadline(null);
    private int nextTag;

    MqDeadlineTest() {
        dd.initSched(256);
    }

    private Request rq(ReqOp op, long sector, int prioClass) {
        Request r = new Request(null, nextTag++);
        r.op = op;
        r.sector = sector;
        r.nrBytes = 4096;
        r.bio = new Bio().set(op, sector, 4096, ByteBuffer.allocate(4096), 0, 0, b -> { });
        r.bio.ioprio(IoPrio.value(prioClass, 0));
        return r;
    }

    private void insert(Request... rqs) {
        RequestList l = new RequestList();
        for (Request r : rqs) {
            l.add(r);
        }
        dd.insertRequests(null, l, false);
    }

    private List<Long> drainSectors() {
        List<Long> out = new ArrayList<>();
        Request r;
        while ((r = dd.dispatchRequest(null)) != null) {
            out.add(r.sector);
        }
        assertFalse(dd.hasWork(null), "everything dispatched");
        return out;
    }

    @Test
    void dispatchSweepsUpwardBySector() {
        insert(rq(ReqOp.READ, 400, 0), rq(ReqOp.READ, 80, 0), rq(ReqOp.READ, 240, 0), rq(ReqOp.READ, 160, 0));
        assertEquals(List.of(80L, 160L, 240L, 400L), drainSectors());
    }

    @Test
    void anExpiredRequestGoesFirstThenTheOldest() {
        dd.setTunable("read_expire", "0"); // every read has expired at once
        insert(rq(ReqOp.READ, 800, 0), rq(ReqOp.READ, 8, 0), rq(ReqOp.READ, 400, 0));
        // the oldest (800) starts the batch; the sweep then runs off the end, so the oldest again
        assertEquals(List.of(800L, 8L, 400L), drainSectors());
    }

    @Test
    void withoutExpiryTheSweepWins() {
        insert(rq(ReqOp.READ, 800, 0), rq(ReqOp.READ, 8, 0), rq(ReqOp.READ, 400, 0));
        assertEquals(List.of(8L, 400L, 800L), drainSectors());
    }

    @Test
    void readsPassWritesAtMostWritesStarvedTimes() {
        dd.setTunable("fifo_batch", "1"); // every dispatch decides the direction afresh
        for (int i = 0; i < 9; i++) {
            insert(rq(ReqOp.READ, i * 8L, 0), rq(ReqOp.WRITE, 100_000 + i * 8L, 0));
        }
        StringBuilder dirs = new StringBuilder();
        Request r;
        while ((r = dd.dispatchRequest(null)) != null) {
            dirs.append(r.op == ReqOp.READ ? 'R' : 'W');
        }
        // dd_init_sched's last_dir is WRITE, so the first "batch" is a write; then two reads pass
        // the waiting writes (starved 1, 2) and the third decision serves a write, until reads run out.
        assertEquals("WRRWRRWRRWRRWRWWWW", dirs.toString());
    }

    @Test
    void aBatchStaysInOneDirectionUpToFifoBatch() {
        dd.setTunable("fifo_batch", "3");
        for (int i = 0; i < 5; i++) {
            insert(rq(ReqOp.READ, i * 8L, 0));
        }
        for (int i = 0; i < 5; i++) {
            insert(rq(ReqOp.WRITE, 1000 + i * 8L, 0));
        }
        StringBuilder dirs = new StringBuilder();
        Request r;
        while ((r = dd.dispatchRequest(null)) != null) {
            dirs.append(r.op == ReqOp.READ ? 'R' : 'W');
        }
        // a batch of 3 writes (last_dir starts as WRITE), a batch of 3 reads (starved 1), the next
        // decision reads again (starved 2) and its batch ends when the reads do, then the writes
        assertEquals("WWWRRRRRWW", dirs.toString());
    }

    @Test
    void realTimeGoesBeforeBestEffortBeforeIdle() {
        insert(rq(ReqOp.READ, 8, IoPrio.CLASS_IDLE), rq(ReqOp.READ, 16, IoPrio.CLASS_BE),
                rq(ReqOp.READ, 24, IoPrio.CLASS_RT));
        Request first = dd.dispatchRequest(null);
        assertEquals(24, first.sector, "RT first");
        // BE waits while the RT request is in the driver (dd_queued counts it until finish)
        assertNull(dd.dispatchRequest(null));
        dd.finishRequest(first);
        Request second = dd.dispatchRequest(null);
        assertEquals(16, second.sector);
        dd.finishRequest(second);
        assertEquals(8, dd.dispatchRequest(null).sector);
    }

    @Test
    void aRequeuedRequestGoesFirstAndIsCountedOnce() {
        Request a = rq(ReqOp.READ, 8, 0);
        Request b = rq(ReqOp.READ, 16, 0);
        insert(a, b);
        assertSame(a, dd.dispatchRequest(null));
        RequestList l = new RequestList();
        l.add(a);
        dd.insertRequests(null, l, true); // requeued: to the head
        assertSame(a, dd.dispatchRequest(null));
        assertSame(b, dd.dispatchRequest(null));
        dd.finishRequest(a);
        dd.finishRequest(b);
        assertEquals("0 0 0\n", dd.debugfs().get("queued"));
        assertEquals("0 0 0\n", dd.debugfs().get("owned_by_driver"));
    }

    @Test
    void limitDepthLeavesTagsForSyncReads() {
        assertEquals(256, dd.limitDepth(ReqOp.READ, 0, 256));
        assertEquals(192, dd.limitDepth(ReqOp.WRITE, 0, 256));
        dd.depthUpdated(8);
        assertEquals(6, dd.limitDepth(ReqOp.WRITE, 0, 8));
    }

    @Test
    void tunablesAreReadableAndChecked() {
        assertEquals("500", dd.tunables().get("read_expire"));
        assertEquals("5000", dd.tunables().get("write_expire"));
        assertEquals("16", dd.tunables().get("fifo_batch"));
        assertEquals("2", dd.tunables().get("writes_starved"));
        dd.setTunable("write_expire", "1000");
        assertEquals("1000", dd.tunables().get("write_expire"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dd.setTunable("front_merges", "7"));
        assertTrue(e.getMessage().contains("front_merges"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> dd.setTunable("no_such", "1"));
    }
}
