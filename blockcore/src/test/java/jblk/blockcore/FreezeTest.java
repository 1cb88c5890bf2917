package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Freeze: in-flight I/O drains before freeze returns; new submitters wait until unfreeze. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FreezeTest {

    @Test
    void freezeWaitsForAHeldRequest() throws Exception {
        Holding drv = new Holding();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "fr0");
        List<Throwable> err = new ArrayList<>();
        try (SwQueue q = disk.openQueue()) {
            Done d = new Done();
            q.submitBio(write(0, 4096, d));
            Request rq = drv.take();
            CountDownLatch frozen = new CountDownLatch(1);
            Thread f = start("freezer", () -> {
                disk.freeze();
                frozen.countDown();
            }, err);
            assertFalse(frozen.await(QUIET_MS, TimeUnit.MILLISECONDS),
                    "freeze returned while the driver still held a request");
            assertTrue(disk.isFrozen(), "new submitters are held back from the start of the freeze");
            BlkMq.endRequest(rq, BlkStatus.OK);
            assertTrue(frozen.await(WAIT_S, TimeUnit.SECONDS), "freeze returns once the request ended");
            join(f);
            assertEquals(BlkStatus.OK, d.status);
            assertEquals(0, busyTags(disk));
            assertTrue(disk.debugfs().get("state").contains("FROZEN"));
            disk.unfreeze();
            assertFalse(disk.isFrozen());
            drv.passThrough = true;
            readOk(q, 0);
            noErrors(err);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void submitBlocksWhileFrozen() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "fr1");
        List<Throwable> err = new ArrayList<>();
        try {
            disk.freeze(); // nothing in flight: returns at once
            CountDownLatch returned = new CountDownLatch(1);
            Done d = new Done();
            Thread s = start("submitter", () -> {
                try (SwQueue q = disk.openQueue()) {
                    q.submitBio(read(0, 4096, d));
                    returned.countDown();
                }
            }, err);
            assertFalse(returned.await(QUIET_MS, TimeUnit.MILLISECONDS), "submitBio returned on a frozen disk");
            assertEquals(0, drv.calls.get());
            assertFalse(d.done());
            assertEquals(0, busyTags(disk), "a waiting submitter holds no tag (freeze could not finish otherwise)");
            disk.unfreeze();
            assertTrue(returned.await(WAIT_S, TimeUnit.SECONDS));
            join(s);
            assertEquals(BlkStatus.OK, d.await().status);
            assertEquals(1, drv.calls.get());
            noErrors(err);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void plugSubmissionAlsoWaitsWhileFrozen() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "fr2");
        List<Throwable> err = new ArrayList<>();
        try {
            disk.freeze();
            CountDownLatch returned = new CountDownLatch(1);
            Done d = new Done();
            Thread s = start("submitter", () -> {
                try (SwQueue q = disk.openQueue()) {
                    q.startPlug();
                    q.submitBio(read(0, 4096, d));
                    returned.countDown();
                    q.finishPlug();
                }
            }, err);
            assertFalse(returned.await(QUIET_MS, TimeUnit.MILLISECONDS));
            disk.unfreeze();
            join(s);
            assertEquals(BlkStatus.OK, d.await().status);
            noErrors(err);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void freezeNests() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "fr3");
        try (SwQueue q = disk.openQueue()) {
            assertThrows(IllegalStateException.class, disk::unfreeze);
            disk.freeze();
            disk.freeze();
            disk.unfreeze();
            assertTrue(disk.isFrozen());
            disk.unfreeze();
            assertFalse(disk.isFrozen());
            readOk(q, 0);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void closeWakesASubmitterWaitingOnAFrozenDisk() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = GenDisk.builder(set).name("fr4").capacitySectors(1 << 16).closeTimeout(ms(200)).build();
        List<Throwable> err = new ArrayList<>();
        try {
            disk.freeze();
            Done d = new Done();
            CountDownLatch waiting = new CountDownLatch(1);
            Thread s = start("submitter", () -> {
                SwQueue q = disk.openQueue();
                waiting.countDown();
                q.submitBio(read(0, 4096, d));
            }, err);
            assertTrue(waiting.await(WAIT_S, TimeUnit.SECONDS));
            assertFalse(d.done());
            disk.close();
            join(s);
            synchronized (err) {
                assertEquals(1, err.size(), "the waiting submitter is told the disk closed: " + err);
                assertTrue(err.get(0) instanceof IllegalStateException, err.get(0).toString());
            }
            assertEquals(0, d.calls.get());
            assertTrue(disk.closeReport().leaked().isEmpty());
        } finally {
            closeQuietly(set, disk);
        }
    }
    /** Freeze/unfreeze 50 times under load: when freeze returns nothing holds a tag and nothing is issued. */
    @Test
    void freezeUnderLoadDrainsAndStopsIssue() throws Exception {
        AtomicBoolean frozen = new AtomicBoolean();
        AtomicInteger violations = new AtomicInteger();
        Softirq drv = new Softirq() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                if (frozen.get()) {
                    violations.incrementAndGet();
                }
                return super.queueRq(hctx, rq, last);
            }
        };
        TagSet set = TagSet.builder(drv).nrHwQueues(2).nrCpuIds(2).queueDepth(8).build();
        GenDisk disk = disk(set, "fr5");
        IoLoad load = new IoLoad(disk).start();
        try {
            awaitTrue("I/O running", () -> load.completed.get() > 1000);
            for (int i = 0; i < 50; i++) {
                disk.freeze();
                frozen.set(true);
                assertEquals(0, disk.statFields()[StatsTest.IN_FLIGHT], "freeze returned with requests in flight");
                long done = load.completed.get();
                long until = System.nanoTime() + 1_000_000;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                assertEquals(done, load.completed.get(), "a bio completed while frozen");
                frozen.set(false);
                disk.unfreeze();
                awaitTrue("I/O resumes after unfreeze", () -> load.completed.get() > done);
            }
            load.stopAndVerify();
            assertEquals(0, violations.get(), "queueRq calls while frozen");
        } finally {
            load.stop.set(true);
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().leaked().isEmpty());
    }

    /**
     * A NOWAIT bio must not block: on a frozen queue the kernel's bio_queue_enter fails it with
     * BLK_STS_AGAIN (bio_wouldblock_error) instead of waiting for the unfreeze.
     */
    @Test
    void nowaitBioOnAFrozenDiskGetsAgainInsteadOfBlocking() throws Exception {
        Inline drv = new Inline();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "fr6");
        List<Throwable> err = new ArrayList<>();
        try {
            disk.freeze();
            Done d = new Done();
            CountDownLatch returned = new CountDownLatch(1);
            Thread s = start("nowait-submitter", () -> {
                try (SwQueue q = disk.openQueue()) {
                    q.submitBio(read(0, 4096, d).flags(ReqFlags.NOWAIT));
                    returned.countDown();
                }
            }, err);
            boolean didReturn = returned.await(WAIT_S, TimeUnit.SECONDS);
            boolean stillFrozen = disk.isFrozen();
            disk.unfreeze();
            join(s);
            noErrors(err);
            assertTrue(didReturn && stillFrozen, "a NOWAIT submitBio blocked until the disk was unfrozen");
            assertEquals(BlkStatus.AGAIN, d.status);
            assertEquals(0, drv.calls.get());
        } finally {
            closeQuietly(set, disk);
        }
    }
}
