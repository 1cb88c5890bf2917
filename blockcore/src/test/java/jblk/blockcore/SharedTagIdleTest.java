package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shared tags: a disk counts as an idle tag user only when its rolling timeout timer fires and
 * finds nothing in flight ({@code blk_mq_timeout_work} -> {@code blk_mq_tag_idle}), so a busy disk
 * whose requests come and go keeps its fair share against a slow disk that would take every tag.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedTagIdleTest {
    static final int DEPTH = 64;
    static final long SLOW_NS = TimeUnit.MILLISECONDS.toNanos(20);

    /** "slow" completes after 20 ms through the hrtimer context; anything else completes inline. */
    static final class SlowAndFast implements BlkMqOps {
        final AtomicInteger slowInFlight = new AtomicInteger();
        final AtomicInteger slowMax = new AtomicInteger();

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            BlkMq.startRequest(rq);
            if (rq.disk().name().equals("slow")) {
                slowMax.accumulateAndGet(slowInFlight.incrementAndGet(), Math::max);
                BlkMq.completeRequestAfter(rq, SLOW_NS);
            } else {
                BlkMq.endRequest(rq, BlkStatus.OK);
            }
            return BlkStatus.OK;
        }

        @Override
        public void complete(Request rq) {
            slowInFlight.decrementAndGet();
            BlkMq.endRequest(rq, BlkStatus.OK);
        }
    }

    /** Submits reads to {@code disk} until {@code stop}, {@code pauseMs} apart (0: back to back, async). */
    private static Thread submitter(GenDisk disk, AtomicBoolean stop, long pauseMs, AtomicInteger failed,
                                    List<Throwable> err) {
        return start("submit-" + disk.name(), () -> {
            try (SwQueue q = disk.openQueue()) {
                for (long i = 0; !stop.get(); i++) {
                    if (pauseMs > 0) {
                        Done d = readOk(q, (i % 64) * 8);
                        if (d.status != BlkStatus.OK) {
                            failed.incrementAndGet();
                        }
                        Thread.sleep(pauseMs);
                    } else {
                        q.submitBio(read((i % 1024) * 8, 4096, bio -> {
                            if (bio.status() != BlkStatus.OK) {
                                failed.incrementAndGet();
                            }
                        }));
                    }
                }
            }
        }, err);
    }

    @Test
    void busyDiskWithMomentaryZerosKeepsItsShare() throws Exception {
        SlowAndFast drv = new SlowAndFast();
        TagSet set = TagSet.builder(drv).queueDepth(DEPTH).build(); // 30 s timeout: the timer is ~6 s away
        GenDisk fast = disk(set, "fast");
        GenDisk slow = disk(set, "slow");
        List<Throwable> err = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failed = new AtomicInteger();
        try {
            // fast: one read at a time, 2 ms apart: almost always nothing in flight when a scan looks
            Thread f = submitter(fast, stop, 2, failed, err);
            awaitTrue("fast is an active tag user", () -> (fast.hwQueue(0).state() & HwQueue.TAG_ACTIVE) != 0);
            Thread s = submitter(slow, stop, 0, failed, err);
            awaitTrue("slow reached its share", () -> drv.slowMax.get() >= DEPTH / 2);
            // About ten scans (every 100 ms) happen in this second; before, each could idle "fast".
            for (int i = 0; i < 5; i++) {
                assertTrue(neverWithinQuietPeriod(() -> drv.slowMax.get() > DEPTH / 2), "slow exceeded its share of "
                        + DEPTH / 2 + " tags: " + drv.slowMax.get() + " in flight (fast was marked idle)");
            }
            assertTrue((fast.hwQueue(0).state() & HwQueue.TAG_ACTIVE) != 0, "fast is still an active user");
            stop.set(true);
            join(f);
            join(s);
            noErrors(err);
            awaitTagsFree(slow);
            assertEquals(0, failed.get());
        } finally {
            stop.set(true);
            closeQuietly(set, fast, slow);
        }
        assertTrue(slow.closeReport().leaked().isEmpty());
    }

    @Test
    void quietDiskIsIdledWhenItsTimerFires() throws Exception {
        SlowAndFast drv = new SlowAndFast();
        // a 100 ms request timeout: the timer fires about 1.1 s after the quiet disk's last start
        TagSet set = TagSet.builder(drv).queueDepth(DEPTH).timeout(Duration.ofMillis(100)).build();
        GenDisk fast = disk(set, "fast");
        GenDisk slow = disk(set, "slow");
        List<Throwable> err = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failed = new AtomicInteger();
        try {
            try (SwQueue q = fast.openQueue()) {
                readOk(q, 0); // one I/O makes "fast" an active user; then it goes quiet
            }
            assertTrue((fast.hwQueue(0).state() & HwQueue.TAG_ACTIVE) != 0);
            Thread s = submitter(slow, stop, 0, failed, err);
            awaitTrue("the quiet disk is idled and slow gets every tag", () -> drv.slowMax.get() == DEPTH);
            assertEquals(0, fast.hwQueue(0).state() & HwQueue.TAG_ACTIVE, "fast is no longer an active user");
            assertTrue(fast.debugfs().get("hctx0/tags").contains("active_queues=1"),
                    fast.debugfs().get("hctx0/tags"));
            stop.set(true);
            join(s);
            noErrors(err);
            assertEquals(0, failed.get());
        } finally {
            stop.set(true);
            closeQuietly(set, fast, slow);
        }
    }
}
