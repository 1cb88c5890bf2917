package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import jblk.blockcore.Bio;
import jblk.blockcore.BioEndIo;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.ForwardingOperations;
import jblk.safety.Operations;
import jblk.safety.Ownership;
import jblk.safety.RequestRef;

/** Bio helpers, device shortcuts and a holding driver wrapper for the null_blk tests. */
final class NullBlkTestSupport {
    /** Generous bound for anything asynchronous that must happen. */
    static final long WAIT_S = 15;

    private NullBlkTestSupport() {
    }

    /** A bio end_io callback that records every call. */
    static final class Done implements BioEndIo {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch latch = new CountDownLatch(1);
        volatile BlkStatus status;
        volatile int bytesDone = -1;
        volatile String detail;

        @Override
        public void endIo(Bio bio) {
            status = bio.status();
            bytesDone = bio.bytesDone();
            detail = bio.errorDetail();
            calls.incrementAndGet();
            latch.countDown();
        }

        boolean isDone() {
            return calls.get() > 0;
        }

        /** Waits for the completion; returns its status. */
        BlkStatus await() throws InterruptedException {
            assertTrue(latch.await(WAIT_S, TimeUnit.SECONDS), "bio was not completed within " + WAIT_S + " s");
            return status;
        }

        void assertOnce(BlkStatus expected) throws InterruptedException {
            assertEquals(expected, await(), "bio status (" + detail + ")");
            assertEquals(1, calls.get(), "bio completions");
        }
    }

    static Done submit(SwQueue q, ReqOp op, long sector, int bytes, ByteBuffer buf, int off, int flags) {
        Done d = new Done();
        q.submitBio(new Bio().set(op, sector, bytes, buf, off, flags, d));
        return d;
    }

    /** Submits and waits. */
    static Done io(SwQueue q, ReqOp op, long sector, int bytes, ByteBuffer buf, int off, int flags)
            throws InterruptedException {
        Done d = submit(q, op, sector, bytes, buf, off, flags);
        d.await();
        return d;
    }

    static void write(SwQueue q, long sector, byte[] data) throws InterruptedException {
        write(q, sector, data, 0);
    }

    static void write(SwQueue q, long sector, byte[] data, int flags) throws InterruptedException {
        Done d = io(q, ReqOp.WRITE, sector, data.length, ByteBuffer.wrap(data), 0, flags);
        assertEquals(BlkStatus.OK, d.status, "write at sector " + sector + ": " + d.detail);
    }

    static byte[] read(SwQueue q, long sector, int len) throws InterruptedException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        Done d = io(q, ReqOp.READ, sector, len, buf, 0, 0);
        assertEquals(BlkStatus.OK, d.status, "read at sector " + sector + ": " + d.detail);
        return buf.array();
    }

    static void assertReads(SwQueue q, long sector, byte[] expected) throws InterruptedException {
        assertArrayEquals(expected, read(q, sector, expected.length), "data at sector " + sector);
    }

    static BlkStatus op(SwQueue q, ReqOp op, long sector, int bytes, int flags) throws InterruptedException {
        return io(q, op, sector, bytes, null, 0, flags).status;
    }

    static byte[] pattern(long seed, int len) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] zeros(int len) {
        return new byte[len];
    }

    /** A powered device of its own tag set. */
    static NullbDevice powered(String name, String params, DriverKind kind, Ownership own) {
        NullbDevice d = new NullbDevice(name, NullbParams.parse(params), kind, own);
        d.power(true);
        return d;
    }

    static void waitUntil(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(1);
        }
    }

    static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    /**
     * Wraps the safe null_blk driver: requests the predicate selects are held (never ended by the
     * driver) until the test releases them; everything else is passed through. Its timeout re-arms
     * the timer, as the core does for a driver without one, so held requests are simply re-armed at
     * expiry.
     */
    static final class HoldingOps extends ForwardingOperations<NullCmd, NullQueue> {
        final LinkedBlockingQueue<RequestRef<NullCmd>> held = new LinkedBlockingQueue<>();
        volatile Predicate<RequestRef<NullCmd>> hold;

        HoldingOps(Operations<NullCmd, NullQueue> inner, Predicate<RequestRef<NullCmd>> hold) {
            super(inner);
            this.hold = hold;
        }

        @Override
        public BlkStatus queueRq(NullQueue hw, RequestRef<NullCmd> rq, boolean isLast) {
            if (hold.test(rq)) {
                held.add(rq);
                return BlkStatus.OK;
            }
            return super.queueRq(hw, rq, isLast);
        }

        @Override
        public EhTimerReturn timeout(RequestRef<NullCmd> rq) {
            return EhTimerReturn.RESET_TIMER;
        }

        /** Stops holding and ends every held request OK; returns how many. */
        int releaseAll() {
            hold = rq -> false;
            int n = 0;
            RequestRef<NullCmd> rq;
            while ((rq = held.poll()) != null) {
                rq.endOk();
                n++;
            }
            return n;
        }
    }
}
