package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A submitter waiting on a frozen disk ({@code blk_queue_enter}) waits uninterruptibly, as the
 * kernel's does: an interrupt neither loses its bio nor ends the wait; a closed disk is its own error.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FreezeWaiterTest {

    @Test
    void interruptedWaiterStillIssuesItsBioAndKeepsTheFlag() throws Exception {
        Holding drv = new Holding();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "fw0");
        List<Throwable> err = new ArrayList<>();
        try (SwQueue q0 = disk.openQueue()) {
            Done held = new Done();
            q0.submitBio(write(0, 4096, held));
            Request rq = drv.take(); // the "2 s request" the queue-depth change must wait for
            Thread depth = start("nr_requests", () -> set.updateQueueDepth(8), err);
            awaitTrue("the depth change froze the disk", disk::isFrozen);

            Done d = new Done();
            AtomicBoolean flagAfter = new AtomicBoolean();
            CountDownLatch returned = new CountDownLatch(1);
            Thread s = start("submitter", () -> {
                try (SwQueue q = disk.openQueue()) {
                    q.submitBio(read(8, 4096, d));
                    flagAfter.set(Thread.interrupted());
                    returned.countDown();
                }
            }, err);
            awaitTrue("the submitter waits for the unfreeze", () -> s.getState() == Thread.State.WAITING);
            s.interrupt();
            assertFalse(returned.await(QUIET_MS, TimeUnit.MILLISECONDS),
                    "an interrupt ended the freeze wait (the kernel's wait is uninterruptible)");
            assertFalse(d.done(), "the bio was completed while the disk was frozen");

            drv.passThrough = true;
            BlkMq.endRequest(rq, BlkStatus.OK);
            join(depth);
            assertTrue(returned.await(WAIT_S, TimeUnit.SECONDS), "submitBio returned after the unfreeze");
            join(s);
            noErrors(err);
            assertEquals(BlkStatus.OK, d.await().status, "the interrupted submitter's bio was issued");
            assertTrue(flagAfter.get(), "the interrupt flag is restored for the caller");
            assertEquals(8, set.queueDepth());
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void closedWhileWaitingIsADiskClosedException() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("fw1").capacitySectors(1 << 16).closeTimeout(ms(200)).build();
        List<Throwable> err = new ArrayList<>();
        try {
            disk.freeze();
            Done d = new Done();
            Thread s = start("submitter", () -> {
                SwQueue q = disk.openQueue();
                q.submitBio(read(0, 4096, d));
            }, err);
            awaitTrue("the submitter waits for the unfreeze", () -> s.getState() == Thread.State.WAITING);
            s.interrupt(); // ignored: only the close ends the wait
            assertTrue(s.isAlive());
            disk.close();
            join(s);
            synchronized (err) {
                assertEquals(1, err.size(), err.toString());
                assertInstanceOf(DiskClosedException.class, err.get(0), "a closed disk has its own error type");
                assertTrue(err.get(0).getMessage().contains("fw1"), err.get(0).getMessage());
            }
            assertFalse(d.done(), "nothing of the bio was issued");
            assertThrows(DiskClosedException.class, disk::openQueue);
        } finally {
            closeQuietly(set, disk);
        }
    }
}
