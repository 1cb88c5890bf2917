package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import jblk.blockcore.Bio;
import jblk.blockcore.BioEndIo;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;

/** Test drivers, an environment (tag set + disk + submitting context) and bio helpers for the safety tests. */
final class SafetyTestSupport {
    /** Generous bound for anything asynchronous that must happen. */
    static final long WAIT_S = 10;

    private SafetyTestSupport() {
    }

    /** What the test driver does in queueRq: {@code n} counts calls from 1. */
    @FunctionalInterface
    interface QueueRqHook {
        BlkStatus apply(RequestRef<Void> rq, int n);
    }

    /**
     * A driver whose queueRq and complete are hooks. By default queueRq keeps the request (the
     * test ends it through {@link #take()}), and complete ends it OK, recording the outcome.
     * It declares no optional method, so its tag set has no timeout/poll/queueRqs callback.
     */
    static class TestDriver implements Operations<Void, Void> {
        final LinkedBlockingQueue<RequestRef<Void>> issued = new LinkedBlockingQueue<>();
        final List<RequestRef<Void>> all = Collections.synchronizedList(new ArrayList<>());
        final List<EndOutcome> completeOutcomes = Collections.synchronizedList(new ArrayList<>());
        final List<RequestRef<Void>> completeHandles = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger queueRqCalls = new AtomicInteger();
        final AtomicInteger completeCalls = new AtomicInteger();
        final AtomicInteger commitCalls = new AtomicInteger();
        volatile QueueRqHook onQueueRq = (rq, n) -> BlkStatus.OK;
        volatile Consumer<RequestRef<Void>> onComplete = rq -> completeOutcomes.add(rq.endOk());

        @Override
        public Void newRequestData(int hctxIdx) {
            return null;
        }

        @Override
        public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
            int n = queueRqCalls.incrementAndGet();
            all.add(rq);
            issued.add(rq);
            return onQueueRq.apply(rq, n);
        }

        @Override
        public void commitRqs(Void hw) {
            commitCalls.incrementAndGet();
        }

        @Override
        public void complete(RequestRef<Void> rq) {
            completeCalls.incrementAndGet();
            completeHandles.add(rq);
            onComplete.accept(rq);
        }

        /** The next request handed to queueRq; fails after {@link #WAIT_S}. */
        RequestRef<Void> take() throws InterruptedException {
            RequestRef<Void> rq = issued.poll(WAIT_S, TimeUnit.SECONDS);
            if (rq == null) {
                fail("the driver did not receive a request within " + WAIT_S + " s");
            }
            return rq;
        }
    }

    /** A test driver that also implements {@code timeout} (so its tag set has the callback). */
    static class TimeoutDriver extends TestDriver {
        final LinkedBlockingQueue<RequestRef<Void>> timedOut = new LinkedBlockingQueue<>();
        volatile java.util.function.Function<RequestRef<Void>, EhTimerReturn> onTimeout = rq -> EhTimerReturn.DONE;

        @Override
        public EhTimerReturn timeout(RequestRef<Void> rq) {
            timedOut.add(rq);
            return onTimeout.apply(rq);
        }
    }

    /** A bio end_io callback that records every call. */
    static final class Done implements BioEndIo {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch latch = new CountDownLatch(1);
        volatile BlkStatus status;
        volatile int bytesDone = -1;

        @Override
        public void endIo(Bio bio) {
            status = bio.status();
            bytesDone = bio.bytesDone();
            calls.incrementAndGet();
            latch.countDown();
        }

        boolean isDone() {
            return calls.get() > 0;
        }

        /** Waits for the completion and checks it happened exactly once with {@code expected}. */
        void assertOnce(BlkStatus expected) throws InterruptedException {
            assertTrue(latch.await(WAIT_S, TimeUnit.SECONDS), "bio was not completed within " + WAIT_S + " s");
            assertEquals(expected, status, "bio status");
            assertEquals(1, calls.get(), "bio completions");
        }
    }

    /** Waits until {@code list} has {@code n} entries (outcomes recorded after an end returned). */
    static void awaitSize(java.util.Collection<?> list, int n) throws InterruptedException {
        waitUntil(n + " entries in " + list, () -> list.size() >= n);
    }

    /** Waits until {@code cond} holds, failing after {@link #WAIT_S}. */
    static void waitUntil(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(1);
        }
    }

    static boolean assertionsEnabled() {
        return SafetyTestSupport.class.desiredAssertionStatus();
    }

    /** A tag set of the test driver, one disk on it, and one open submitting context. */
    static final class Env implements AutoCloseable {
        final TagSet<Void, Void> set;
        final GenDisk disk;
        final SwQueue q;
        final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);

        Env(TagSet<Void, Void> set, GenDisk disk) {
            this.set = set;
            this.disk = disk;
            this.q = disk.openQueue();
        }

        static Builder builder(Operations<Void, Void> ops) {
            return new Builder(ops);
        }

        /** Submits a 512-byte READ of {@code sector}; returns its recorder. */
        Done submit(long sector) {
            return submit(ReqOp.READ, sector, 512, 0);
        }

        Done submit(ReqOp op, long sector, int bytes, int flags) {
            Done d = new Done();
            q.submitBio(new Bio().set(op, sector, bytes, op.hasData() ? buf : null, 0, flags, d));
            return d;
        }

        Violations violations() {
            return set.violations(disk);
        }

        /** Tags in use on hw queue 0. */
        int busyTags() {
            return set.raw().tags(0).busy();
        }

        /**
         * Waits until no tag is in use. The tag goes back just after the bio's callback returns,
         * on the completing thread, so a test that saw the callback must wait for it.
         */
        void awaitTagsFree() throws InterruptedException {
            waitUntil("all tags free (busy " + busyTags() + ")", () -> busyTags() == 0);
        }

        @Override
        public void close() {
            try {
                q.close();
            } finally {
                try {
                    disk.close();
                } finally {
                    set.close();
                }
            }
        }
    }

    static final class Builder {
        private final Operations<Void, Void> ops;
        private Ownership ownership = Ownership.CHECKED;
        private int depth = 4;
        private int hwQueues = 1;
        private int pollQueues;
        private Duration timeout;
        private Duration closeTimeout = Duration.ofSeconds(1);
        private String name = "safe0";

        Builder(Operations<Void, Void> ops) {
            this.ops = ops;
        }

        Builder ownership(Ownership o) {
            this.ownership = o;
            return this;
        }

        Builder depth(int d) {
            this.depth = d;
            return this;
        }

        Builder hwQueues(int n, int poll) {
            this.hwQueues = n;
            this.pollQueues = poll;
            return this;
        }

        Builder timeout(Duration t) {
            this.timeout = t;
            return this;
        }

        Builder closeTimeout(Duration t) {
            this.closeTimeout = t;
            return this;
        }

        Builder name(String n) {
            this.name = n;
            return this;
        }

        Env build() {
            TagSet.Builder<Void, Void> b = TagSet.builder(ops).ownership(ownership).queueDepth(depth)
                    .nrHwQueues(hwQueues).nrPollQueues(pollQueues);
            if (timeout != null) {
                b.timeout(timeout);
            }
            TagSet<Void, Void> set = b.build();
            try {
                // none: these tests drive queueRq/queueRqs directly; the scheduler has tests of its own
                GenDisk disk = new GenDiskBuilder().capacitySectors(1 << 20).closeTimeout(closeTimeout)
                        .scheduler("none").build(name,
                        set);
                return new Env(set, disk);
            } catch (RuntimeException e) {
                set.close();
                throw e;
            }
        }
    }
}
