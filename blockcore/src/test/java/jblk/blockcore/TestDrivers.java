package jblk.blockcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Small raw drivers and helpers shared by the blockcore tests. */
final class TestDrivers {
    /** Generous bound for anything asynchronous that must happen. */
    static final long WAIT_S = 10;
    /** How long we watch for something that must NOT happen (a correctness check, not a speed one). */
    static final long QUIET_MS = 200;

    private TestDrivers() {
    }

    /** Starts and ends every request inline, with OK; counts queueRq calls. */
    static class Inline implements BlkMqOps {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            calls.incrementAndGet();
            BlkMq.startRequest(rq);
            BlkMq.endRequest(rq, BlkStatus.OK);
            return BlkStatus.OK;
        }
    }

    /** Starts every request and completes it through the hctx's softirq context. */
    static class Softirq implements BlkMqOps {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger completes = new AtomicInteger();

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            calls.incrementAndGet();
            BlkMq.startRequest(rq);
            BlkMq.completeRequest(rq);
            return BlkStatus.OK;
        }

        @Override
        public void complete(Request rq) {
            completes.incrementAndGet();
            BlkMq.endRequest(rq, BlkStatus.OK);
        }
    }

    /**
     * Starts every request and keeps it (never ends it by itself) until the test ends it through
     * {@link #take()} / {@link #endAll}. With {@link #passThrough} set, requests are ended inline.
     */
    static class Holding implements BlkMqOps {
        final LinkedBlockingQueue<Request> held = new LinkedBlockingQueue<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean passThrough;

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            calls.incrementAndGet();
            BlkMq.startRequest(rq);
            if (passThrough) {
                BlkMq.endRequest(rq, BlkStatus.OK);
            } else {
                held.add(rq);
            }
            return BlkStatus.OK;
        }

        /** The next request the driver received; fails after {@link #WAIT_S}. */
        Request take() throws InterruptedException {
            Request rq = held.poll(WAIT_S, TimeUnit.SECONDS);
            if (rq == null) {
                fail("the driver did not receive a request within " + WAIT_S + " s");
            }
            return rq;
        }

        /** Ends every held request with {@code st}; returns how many. */
        int endAll(BlkStatus st) {
            List<Request> l = new ArrayList<>();
            held.drainTo(l);
            for (Request r : l) {
                BlkMq.endRequest(r, st);
            }
            return l.size();
        }
    }

    /** A bio end_io callback recording every call. */
    static final class Done implements BioEndIo {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch latch = new CountDownLatch(1);
        volatile BlkStatus status;
        volatile String detail;
        volatile int bytesDone = -1;
        volatile String thread;

        @Override
        public void endIo(Bio bio) {
            status = bio.status();
            detail = bio.errorDetail();
            bytesDone = bio.bytesDone();
            thread = Thread.currentThread().getName();
            calls.incrementAndGet();
            latch.countDown();
        }

        /** Waits for the first call. */
        Done await() throws InterruptedException {
            assertTrue(latch.await(WAIT_S, TimeUnit.SECONDS), "bio did not complete within " + WAIT_S + " s");
            return this;
        }

        /** True if no call came within {@link #QUIET_MS}. */
        boolean staysPending() throws InterruptedException {
            return !latch.await(QUIET_MS, TimeUnit.MILLISECONDS);
        }

        boolean done() {
            return latch.getCount() == 0;
        }
    }

    static TagSet set(BlkMqOps ops) {
        return TagSet.builder(ops).queueDepth(16).build();
    }

    static GenDisk disk(TagSet set, String name) {
        return GenDisk.builder(set).name(name).capacitySectors(1 << 16).build();
    }

    /**
     * A disk without an I/O scheduler, for tests of what blk-mq does with none (direct issue,
     * queueRqs, the software queues' lists); {@link #disk} gets the kernel's default.
     */
    static GenDisk diskNone(TagSet set, String name) {
        return GenDisk.builder(set).name(name).capacitySectors(1 << 16).scheduler("none").build();
    }

    static Bio read(long sector, int size, BioEndIo cb) {
        return new Bio().set(ReqOp.READ, sector, size, ByteBuffer.allocate(Math.max(size, 1)), 0, 0, cb);
    }

    static Bio write(long sector, int size, BioEndIo cb) {
        return new Bio().set(ReqOp.WRITE, sector, size, ByteBuffer.allocate(Math.max(size, 1)), 0, 0, cb);
    }

    /** Submits a 4 KiB read and waits for it to complete; returns its recorder. */
    static Done readOk(SwQueue q, long sector) throws InterruptedException {
        Done d = new Done();
        q.submitBio(read(sector, 4096, d));
        d.await();
        assertEquals(BlkStatus.OK, d.status, "status of a good read; detail: " + d.detail);
        return d;
    }

    /** Sum of busy tags over every hw queue of the disk (distinct tag spaces). */
    static int busyTags(GenDisk disk) {
        int n = 0;
        List<Tags> seen = new ArrayList<>();
        for (HwQueue h : disk.hwQueues()) {
            if (!seen.contains(h.tags())) {
                seen.add(h.tags());
                n += h.tags().busy();
            }
        }
        return n;
    }

    /** Waits (bounded) until {@code cond} holds; fails with {@code what} otherwise. */
    static void awaitTrue(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Watches {@code cond} for {@link #QUIET_MS}; true if it never held (something that must not happen). */
    static boolean neverWithinQuietPeriod(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
        while (System.nanoTime() - deadline < 0) {
            if (cond.getAsBoolean()) {
                return false;
            }
            Thread.sleep(1);
        }
        return !cond.getAsBoolean();
    }

    /** Waits until no tag of the disk is allocated (a completion frees its tag after the callback). */
    static void awaitTagsFree(GenDisk disk) throws InterruptedException {
        awaitTrue("all tags of " + disk.name() + " free (busy=" + busyTags(disk) + ")", () -> busyTags(disk) == 0);
    }

    /** Closes the disk (if any) and then the set, asserting nothing. */
    static void closeQuietly(TagSet set, GenDisk... disks) {
        for (GenDisk d : disks) {
            if (d != null) {
                d.close();
            }
        }
        if (set != null) {
            set.close();
        }
    }

    static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    /** Runs {@code r} on a new daemon thread, recording any throwable in {@code err}. */
    static Thread start(String name, ThrowingRunnable r, List<Throwable> err) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                synchronized (err) {
                    err.add(e);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertTrue(!t.isAlive(), "thread " + t.getName() + " did not finish within " + WAIT_S + " s");
    }

    static void noErrors(List<Throwable> err) {
        synchronized (err) {
            if (!err.isEmpty()) {
                AssertionError e = new AssertionError("background thread failed: " + err.get(0), err.get(0));
                for (int i = 1; i < err.size(); i++) {
                    e.addSuppressed(err.get(i));
                }
                throw e;
            }
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
