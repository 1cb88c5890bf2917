package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import org.junit.jupiter.api.Test;

/**
 * The write-back cache under concurrent I/O to different sectors of one page: the block layer lets
 * such I/Os run at once, so a write-back that moves the page must not lose what another request is
 * writing or zeroing in it (the torture run's "should hold write seq 9539 but holds write seq
 * 9527"). The kernel holds {@code nullb->lock} across the whole transfer; so must the cache path.
 */
class WriteCacheRaceTest {
    private static final int ROUNDS = 100_000;

    /** One step of the checked thread: changes sector 0 and says what it must now read, or null. */
    private interface Step {
        String run(MemoryBacking mem, int round, ByteBuffer w, ByteBuffer r);
    }

    @Test
    void aFuaWriteIsNotLostToAConcurrentWriteBackOfItsPage() throws Exception {
        assertNull(race((mem, i, w, r) -> {
            w.putInt(0, i);
            BlkStatus ws = mem.transfer(ReqOp.WRITE, 0, 512, w, 0, ReqFlags.FUA);
            BlkStatus rs = mem.transfer(ReqOp.READ, 0, 512, r, 0, 0);
            return ws != BlkStatus.OK || rs != BlkStatus.OK ? "write " + ws + ", read " + rs
                    : r.getInt(0) != i ? "sector 0 reads " + r.getInt(0) + " right after FUA wrote " + i : null;
        }));
    }

    @Test
    void writeZeroesIsNotUndoneByAConcurrentCacheFillOfItsPage() throws Exception {
        assertNull(race((mem, i, w, r) -> {
            w.putInt(0, i);
            BlkStatus ws = mem.transfer(ReqOp.WRITE, 0, 512, w, 0, ReqFlags.FUA);
            BlkStatus zs = mem.zeroRange(0, 512, false);
            BlkStatus rs = mem.transfer(ReqOp.READ, 0, 512, r, 0, 0);
            return ws != BlkStatus.OK || zs != BlkStatus.OK || rs != BlkStatus.OK
                    ? "write " + ws + ", zero " + zs + ", read " + rs
                    : r.getInt(0) != 0 ? "sector 0 reads " + r.getInt(0) + " right after WRITE_ZEROES" : null;
        }));
    }

    /**
     * Runs {@code step} on sector 0 for {@link #ROUNDS} rounds while another thread writes sector 1
     * (same page) and other pages through a one-page cache, so page 0 is filled and written back
     * again and again. Returns the first wrong read, or null.
     */
    private static String race(Step step) throws InterruptedException {
        MemoryBacking mem = new MemoryBacking(new PagePool(64L << 20), 64 * PagePool.PAGE_SIZE, PagePool.PAGE_SIZE);
        AtomicReference<String> wrong = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        Thread checked = new Thread(() -> {
            ByteBuffer w = ByteBuffer.allocate(512);
            ByteBuffer r = ByteBuffer.allocate(512);
            await(start);
            for (int i = 1; i <= ROUNDS && wrong.get() == null; i++) {
                String bad = step.run(mem, i, w, r);
                if (bad != null) {
                    wrong.set("round " + i + ": " + bad);
                }
            }
        });
        Thread churn = new Thread(() -> {
            ByteBuffer w = ByteBuffer.allocate(512);
            await(start);
            for (int i = 0; checked.isAlive(); i++) {
                long sector = (i & 1) == 0 ? 1 : 8L * (1 + (i >>> 1) % 63);
                mem.transfer(ReqOp.WRITE, sector, 512, w, 0, 0);
            }
        });
        checked.start();
        churn.start();
        start.countDown();
        checked.join();
        churn.join();
        return wrong.get();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
