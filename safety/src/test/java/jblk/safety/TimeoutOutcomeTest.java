package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import jblk.safety.SafetyTestSupport.TimeoutDriver;
import org.junit.jupiter.api.Test;

/** The timeout handler's borrowed handle vs the handle the driver still holds: exactly one end wins. */
class TimeoutOutcomeTest {
    private static final Duration TIMEOUT = Duration.ofMillis(100);

    @Test
    void driversEndAfterTheTimeoutHandlerEndedItIsRefused() throws Exception {
        TimeoutDriver d = new TimeoutDriver();
        List<EndOutcome> handler = new CopyOnWriteArrayList<>();
        d.onTimeout = rq -> {
            handler.add(rq.end(BlkStatus.TIMEOUT));
            return EhTimerReturn.DONE;
        };
        try (Env env = Env.builder(d).timeout(TIMEOUT).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            bio.assertOnce(BlkStatus.TIMEOUT);
            SafetyTestSupport.awaitSize(handler, 1);
            assertEquals(List.of(EndOutcome.ENDED), handler);

            assertEquals(EndOutcome.ALREADY_ENDED, owner.endOk(), "the driver's handle lost to the timeout");
            assertEquals(1, bio.calls.get());
            assertEquals(BlkStatus.TIMEOUT, bio.status);
            env.awaitTagsFree();
            assertEquals(1, env.violations().count(Violation.ALREADY_ENDED));
        }
    }

    @Test
    void driversEndAfterTimeoutAndTagReuseIsStale() throws Exception {
        TimeoutDriver d = new TimeoutDriver();
        d.onTimeout = rq -> {
            rq.end(BlkStatus.TIMEOUT);
            return EhTimerReturn.DONE;
        };
        try (Env env = Env.builder(d).depth(1).timeout(TIMEOUT).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            bio.assertOnce(BlkStatus.TIMEOUT);

            d.onTimeout = rq -> EhTimerReturn.RESET_TIMER; // keep the second request alive
            Done bio2 = env.submit(8);
            RequestRef<Void> owner2 = d.take();
            assertEquals(owner.tag(), owner2.tag());
            assertEquals(EndOutcome.STALE, owner.endOk());
            assertEquals(0, bio2.calls.get(), "the stale end did not touch the tag's new request");
            assertEquals(EndOutcome.ENDED, owner2.endOk());
            bio2.assertOnce(BlkStatus.OK);
            assertEquals(1, bio.calls.get());
            assertEquals(BlkStatus.TIMEOUT, bio.status);
            assertEquals(1, env.violations().count(Violation.STALE));
        }
    }

    @Test
    void timeoutWinsOverOutstandingShares() throws Exception {
        TimeoutDriver d = new TimeoutDriver();
        AtomicReference<EndOutcome> handler = new AtomicReference<>();
        d.onTimeout = rq -> {
            handler.set(rq.end(BlkStatus.TIMEOUT));
            return EhTimerReturn.DONE;
        };
        try (Env env = Env.builder(d).timeout(TIMEOUT).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            RequestRef<Void> share = owner.share();
            bio.assertOnce(BlkStatus.TIMEOUT);
            SafetyTestSupport.waitUntil("the handler's outcome", () -> handler.get() != null);
            assertEquals(EndOutcome.ENDED, handler.get(), "the expired request ends whatever references are out");
            assertEquals(EndOutcome.ALREADY_ENDED, share.endOk());
            assertEquals(EndOutcome.ALREADY_ENDED, owner.endOk());
            assertEquals(1, bio.calls.get());
            env.awaitTagsFree();
        }
    }

    @Test
    void driverEndingFirstMakesTheBorrowedEndRefused() throws Exception {
        TimeoutDriver d = new TimeoutDriver();
        AtomicReference<RequestRef<Void>> owner = new AtomicReference<>();
        List<EndOutcome> seen = new CopyOnWriteArrayList<>();
        d.onTimeout = rq -> {
            seen.add(owner.get().endOk()); // the driver's completion gets there first
            seen.add(rq.end(BlkStatus.TIMEOUT));
            return EhTimerReturn.DONE;
        };
        try (Env env = Env.builder(d).timeout(TIMEOUT).build()) {
            Done bio = env.submit(0);
            owner.set(d.take());
            bio.assertOnce(BlkStatus.OK);
            SafetyTestSupport.awaitSize(seen, 2);
            assertEquals(List.of(EndOutcome.ENDED, EndOutcome.ALREADY_ENDED), seen);
            assertEquals(1, env.violations().count(Violation.ALREADY_ENDED));
            env.awaitTagsFree();
        }
    }

    @Test
    void resetTimerKeepsTheRequestTheDriversAndFiresAgain() throws Exception {
        TimeoutDriver d = new TimeoutDriver();
        d.onTimeout = rq -> EhTimerReturn.RESET_TIMER;
        try (Env env = Env.builder(d).timeout(TIMEOUT).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            SafetyTestSupport.waitUntil("two expiries", () -> d.timedOut.size() >= 2);
            assertEquals(0, bio.calls.get(), "RESET_TIMER does not end the request");
            assertEquals(EndOutcome.ENDED, owner.endOk());
            bio.assertOnce(BlkStatus.OK);
            assertEquals(0, env.violations().total());
        }
    }

    @Test
    void withoutATimeoutCallbackTheTimerIsRearmedAndNothingEnds() throws Exception {
        TestDriver d = new TestDriver(); // declares no timeout(): no TIMEOUT callback at all
        try (Env env = Env.builder(d).timeout(Duration.ofMillis(50)).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            Thread.sleep(400); // eight timeout periods: a correctness window, not a speed check
            assertEquals(0, bio.calls.get());
            assertEquals(EndOutcome.ENDED, owner.endOk());
            bio.assertOnce(BlkStatus.OK);
        }
    }

    @Test
    void timeoutCallbackThatThrowsEndsTheRequestWithIoerrOnce() throws Exception {
        TimeoutDriver d = new TimeoutDriver();
        d.onTimeout = rq -> {
            throw new IllegalStateException("driver bug in timeout");
        };
        try (Env env = Env.builder(d).timeout(TIMEOUT).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            bio.assertOnce(BlkStatus.IOERR);
            assertEquals(EndOutcome.ALREADY_ENDED, owner.endOk());
            assertEquals(1, bio.calls.get());
            assertEquals(1, env.violations().count(Violation.EXCEPTION));
            env.awaitTagsFree();
            assertTrue(d.timedOut.size() >= 1);
        }
    }
}
