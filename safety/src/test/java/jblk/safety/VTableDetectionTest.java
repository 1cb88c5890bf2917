package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkMqCallback;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.HwQueue;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import jblk.safety.SafetyTestSupport.TimeoutDriver;
import org.junit.jupiter.api.Test;

/** Like Rust's #[vtable]: only the optional methods a driver implements become raw callbacks. */
class VTableDetectionTest {

    /** Parks polled requests; poll() ends them. */
    static class PollingDriver extends TestDriver {
        final ConcurrentLinkedQueue<RequestRef<Void>> parked = new ConcurrentLinkedQueue<>();
        final AtomicInteger polls = new AtomicInteger();

        PollingDriver() {
            onQueueRq = (rq, n) -> {
                if (rq.isPolled()) {
                    parked.add(rq);
                } else {
                    rq.endOk();
                }
                return BlkStatus.OK;
            };
        }

        @Override
        public int poll(Void hw) {
            polls.incrementAndGet();
            int n = 0;
            RequestRef<Void> rq;
            while ((rq = parked.poll()) != null) {
                if (rq.endOk() == EndOutcome.ENDED) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Inherits poll() from its superclass: still a driver with poll. */
    static class InheritingDriver extends PollingDriver {
    }

    /** Builds per-queue data. */
    static class HctxDriver extends TestDriver {
        final AtomicInteger inits = new AtomicInteger();
        final AtomicInteger exits = new AtomicInteger();

        @Override
        public Void initHctx(HwQueue hctx) {
            inits.incrementAndGet();
            return null;
        }

        @Override
        public void exitHctx(Void hw, int hctxIdx) {
            exits.incrementAndGet();
        }
    }

    private static Set<BlkMqCallback> callbacks(Operations<Void, Void> ops) {
        try (TagSet<Void, Void> s = TagSet.builder(ops).build()) {
            return s.raw().callbacks();
        }
    }

    @Test
    void driverWithoutOptionalMethodsHasNoOptionalCallbacks() {
        Set<BlkMqCallback> cb = callbacks(new TestDriver());
        for (BlkMqCallback absent : EnumSet.of(BlkMqCallback.POLL, BlkMqCallback.TIMEOUT, BlkMqCallback.QUEUE_RQS,
                BlkMqCallback.INIT_HCTX, BlkMqCallback.EXIT_HCTX)) {
            assertFalse(cb.contains(absent), absent + " in " + cb);
        }
        assertTrue(cb.contains(BlkMqCallback.COMPLETE));
        assertTrue(cb.contains(BlkMqCallback.COMMIT_RQS));
        assertTrue(cb.contains(BlkMqCallback.INIT_REQUEST), "the binding builds the per-tag data");
    }

    @Test
    void eachImplementedOptionalMethodBecomesACallback() {
        assertTrue(callbacks(new PollingDriver()).contains(BlkMqCallback.POLL));
        assertFalse(callbacks(new PollingDriver()).contains(BlkMqCallback.TIMEOUT));
        assertTrue(callbacks(new InheritingDriver()).contains(BlkMqCallback.POLL), "inherited from a driver class");
        assertTrue(callbacks(new TimeoutDriver()).contains(BlkMqCallback.TIMEOUT));
        assertFalse(callbacks(new TimeoutDriver()).contains(BlkMqCallback.POLL));
        Set<BlkMqCallback> h = callbacks(new HctxDriver());
        assertTrue(h.contains(BlkMqCallback.INIT_HCTX) && h.contains(BlkMqCallback.EXIT_HCTX), h.toString());
    }

    /** A wrapper that adds nothing of its own. */
    static final class Wrapper extends ForwardingOperations<Void, Void> {
        Wrapper(Operations<Void, Void> ops) {
            super(ops);
        }
    }

    /** A wrapper with a timeout of its own (re-arming, as the test kit does for what it did not lose). */
    static final class TimeoutWrapper extends ForwardingOperations<Void, Void> {
        TimeoutWrapper(Operations<Void, Void> ops) {
            super(ops);
        }

        @Override
        public EhTimerReturn timeout(RequestRef<Void> rq) {
            return super.timeout(rq);
        }
    }

    @Test
    void aForwardingWrapperOffersTheOptionalCallbacksOfTheDriverItWraps() {
        assertEquals(callbacks(new TestDriver()), callbacks(new Wrapper(new TestDriver())));
        assertEquals(callbacks(new HctxDriver()), callbacks(new Wrapper(new HctxDriver())));
        assertEquals(callbacks(new TimeoutDriver()), callbacks(new Wrapper(new Wrapper(new TimeoutDriver()))),
                "a wrapper of a wrapper asks the driver at the bottom");
        Set<BlkMqCallback> own = callbacks(new TimeoutWrapper(new HctxDriver()));
        assertTrue(own.contains(BlkMqCallback.TIMEOUT), "what the wrapper overrides is offered: " + own);
        assertTrue(own.contains(BlkMqCallback.INIT_HCTX) && own.contains(BlkMqCallback.EXIT_HCTX), own.toString());
    }

    @Test
    void aForwardingWrapperWithholdsPollAndQueueRqsSoItSeesEveryRequest() {
        Set<BlkMqCallback> cb = callbacks(new Wrapper(new PollingDriver()));
        assertFalse(cb.contains(BlkMqCallback.POLL), cb.toString());
        assertFalse(cb.contains(BlkMqCallback.QUEUE_RQS), cb.toString());
    }

    @Test
    void aForwardingWrapperCalledForAMissingCallbackDoesWhatTheCoreWouldDo() {
        TimeoutWrapper w = new TimeoutWrapper(new TestDriver());
        assertEquals(EhTimerReturn.RESET_TIMER, w.timeout(null), "no driver timeout: the timer is re-armed");
        assertEquals(null, w.initHctx(null), "no driver initHctx: no queue data");
        TestDriver withTimeout = new TestDriver() {
            @Override
            public EhTimerReturn timeout(RequestRef<Void> rq) {
                return EhTimerReturn.DONE;
            }
        };
        assertEquals(EhTimerReturn.DONE, new TimeoutWrapper(withTimeout).timeout(null), "the driver's timeout decides");
    }

    @Test
    void aForwardingWrapperRefusesANullDriver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Wrapper(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void defaultOptionalMethodsThrowWhenCalledDirectly() {
        TestDriver d = new TestDriver();
        assertThrows(UnsupportedOperationException.class, () -> d.poll(null));
        assertThrows(UnsupportedOperationException.class, () -> d.timeout(null));
        assertThrows(UnsupportedOperationException.class, () -> d.initHctx(null));
    }

    @Test
    void pollCallbackIsRoutedToTheDriver() throws Exception {
        PollingDriver d = new PollingDriver();
        try (Env env = Env.builder(d).hwQueues(2, 1).build()) {
            Done done = new Done();
            Bio polled = new Bio().set(ReqOp.READ, 0, 512, env.buf, 0, ReqFlags.POLLED, done);
            env.q.submitBio(polled);
            assertEquals(1, d.parked.size(), "the polled bio reached the driver on the poll queue");
            assertEquals(0, env.q.poll(new Bio()), "a bio that was not polled has nothing to poll");
            assertEquals(0, d.polls.get());
            int reaped = 0;
            long deadline = System.nanoTime() + SafetyTestSupport.WAIT_S * 1_000_000_000L;
            while (!done.isDone() && System.nanoTime() < deadline) {
                reaped += env.q.poll(polled);
            }
            done.assertOnce(BlkStatus.OK);
            assertEquals(1, reaped);
            assertTrue(d.polls.get() >= 1);
        }
    }

    @Test
    void withoutPollAPolledBioIsServedAsUsualAndPollReapsNothing() throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            rq.endOk();
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).build()) {
            Bio polled = new Bio();
            Done done = new Done();
            polled.set(ReqOp.READ, 0, 512, env.buf, 0, ReqFlags.POLLED, done);
            env.q.submitBio(polled);
            done.assertOnce(BlkStatus.OK);
            assertEquals(0, env.q.poll(polled));
        }
    }

    @Test
    void initAndExitHctxAreCalledPerHardwareQueue() throws Exception {
        HctxDriver d = new HctxDriver();
        Env env = Env.builder(d).hwQueues(3, 0).build();
        try {
            assertEquals(3, d.inits.get());
        } finally {
            env.close();
        }
        assertEquals(3, d.exits.get());
    }

    @Test
    void failingInitHctxFailsTheDiskCleanly() {
        TestDriver d = new TestDriver() {
            @Override
            public Void initHctx(HwQueue hctx) {
                throw new IllegalStateException("no hardware");
            }
        };
        try (TagSet<Void, Void> set = TagSet.builder(d).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new GenDiskBuilder().capacitySectors(8).build("bad0", set));
            assertTrue(e.getMessage().contains("initHctx") && e.getMessage().contains("no hardware"), e.getMessage());
            assertEquals(0, set.raw().nrQueues(), "the failed disk is not attached");
        }
    }
}
