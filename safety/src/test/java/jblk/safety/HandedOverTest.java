package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import jblk.safety.SafetyTestSupport.TimeoutDriver;
import org.junit.jupiter.api.Test;

/**
 * A request handed to the completion context (complete, completeAfter) belongs to it: the handle
 * that gave it away can no longer share it, a lookup cannot hold it back, and the complete
 * callback's end always decides. These were the trap states (invariant I3 in OwnershipWord): a
 * share or lookup taken after complete() made the callback's end SHARED, and once it was released
 * nothing could end the request any more.
 */
class HandedOverTest {

    @Test
    void shareOfAHandleGivenAwayByCompleteIsRefusedAndTheCallbackEnds() throws Exception {
        TestDriver d = new TestDriver();
        AtomicReference<Throwable> shareError = new AtomicReference<>();
        d.onQueueRq = (rq, n) -> {
            rq.complete();
            shareError.set(assertThrows(OwnershipException.class, rq::share));
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.OK);
            assertEquals(EndOutcome.ALREADY_ENDED, ((OwnershipException) shareError.get()).outcome());
            SafetyTestSupport.awaitSize(d.completeOutcomes, 1); // added just after the bio's callback
            assertEquals(List.of(EndOutcome.ENDED), d.completeOutcomes);
            env.awaitTagsFree();
        }
    }

    @Test
    void shareOfAHandleGivenToTheTimerIsRefusedAndTheCallbackEnds() throws Exception {
        TestDriver d = new TestDriver();
        AtomicReference<Throwable> shareError = new AtomicReference<>();
        d.onQueueRq = (rq, n) -> {
            rq.completeAfter(2_000_000);
            shareError.set(assertThrows(OwnershipException.class, rq::share));
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.OK);
            assertEquals(EndOutcome.ALREADY_ENDED, ((OwnershipException) shareError.get()).outcome());
            SafetyTestSupport.awaitSize(d.completeOutcomes, 1); // added just after the bio's callback
            assertEquals(List.of(EndOutcome.ENDED), d.completeOutcomes);
        }
    }

    @Test
    void lookupWhileTheCompletionHandleIsLiveFindsNothingAndCannotHoldTheEndBack() throws Exception {
        TestDriver d = new TestDriver();
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch mayEnd = new CountDownLatch(1);
        List<EndOutcome> ends = new CopyOnWriteArrayList<>();
        d.onQueueRq = (rq, n) -> {
            rq.complete();
            return BlkStatus.OK;
        };
        d.onComplete = rq -> {
            inCallback.countDown();
            try {
                mayEnd.await(SafetyTestSupport.WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ends.add(rq.endOk());
        };
        try (Env env = Env.builder(d).depth(1).build()) {
            Done bio = env.submit(0);
            assertTrue(inCallback.await(SafetyTestSupport.WAIT_S, TimeUnit.SECONDS));
            assertNull(env.set.tagToRq(0, 0), "the completion owns it: a lookup gets nothing");
            mayEnd.countDown();
            bio.assertOnce(BlkStatus.OK);
            SafetyTestSupport.awaitSize(ends, 1);
            assertEquals(List.of(EndOutcome.ENDED), ends);
        }
    }

    @Test
    void lookupWhileQueuedForCompletionFindsNothing() throws Exception {
        TestDriver d = new TestDriver();
        AtomicReference<RequestRef<Void>> found = new AtomicReference<>();
        AtomicReference<Env> envRef = new AtomicReference<>();
        d.onQueueRq = (rq, n) -> {
            rq.completeAfter(5_000_000);
            found.set(envRef.get().set.tagToRq(0, rq.tag()));
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).build()) {
            envRef.set(env);
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.OK);
            assertNull(found.get(), "a request on its timer is the timer's");
            SafetyTestSupport.awaitSize(d.completeOutcomes, 1); // added just after the bio's callback
            assertEquals(List.of(EndOutcome.ENDED), d.completeOutcomes);
        }
    }

    @Test
    void completionHandleDroppedWithoutEndingIsFoundAgainByLookup() throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            rq.complete();
            return BlkStatus.OK;
        };
        d.onComplete = rq -> {
            RequestRef<Void> s = rq.share();
            assertEquals(EndOutcome.SHARED, rq.endOk());
            assertTrue(s.release());
            assertTrue(rq.release()); // a driver bug: the last reference dropped, not ended
        };
        try (Env env = Env.builder(d).depth(1).build()) {
            Done bio = env.submit(0);
            SafetyTestSupport.waitUntil("the callback dropped its handle", () -> env.set.tagToRq(0, 0) != null);
            assertEquals(0, bio.calls.get());
        }
        // A fresh disk to show the recovered handle ends it (the lookup above consumed one reference).
        TestDriver d2 = new TestDriver();
        d2.onQueueRq = (rq, n) -> {
            rq.complete();
            return BlkStatus.OK;
        };
        d2.onComplete = RequestRef::release;
        try (Env env = Env.builder(d2).depth(1).build()) {
            Done bio = env.submit(0);
            AtomicReference<RequestRef<Void>> again = new AtomicReference<>();
            SafetyTestSupport.waitUntil("lookup recovers it", () -> {
                again.set(env.set.tagToRq(0, 0));
                return again.get() != null;
            });
            assertNull(env.set.tagToRq(0, 0), "one recovered handle at a time");
            assertEquals(EndOutcome.ENDED, again.get().endOk());
            bio.assertOnce(BlkStatus.OK);
        }
    }

    @Test
    void timeoutCompletingWithSharesOutDoesNotLetThemHoldTheCallbackBack() throws Exception {
        TimeoutDriver d = new TimeoutDriver();
        d.onTimeout = rq -> {
            assertEquals(EndOutcome.ENDED, rq.complete());
            return EhTimerReturn.DONE;
        };
        try (Env env = Env.builder(d).timeout(Duration.ofMillis(100)).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            RequestRef<Void> share = owner.share();
            bio.assertOnce(BlkStatus.OK);
            SafetyTestSupport.awaitSize(d.completeOutcomes, 1); // added just after the bio's callback
            assertEquals(List.of(EndOutcome.ENDED), d.completeOutcomes, "the callback's end was not SHARED");
            assertTrue(share.release());
            assertEquals(EndOutcome.ALREADY_ENDED, owner.endOk());
            assertEquals(1, bio.calls.get());
        }
    }

    @Test
    void tagToRqInTheDriverPhaseStillWorks() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).depth(1).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            RequestRef<Void> found = env.set.tagToRq(0, owner.tag());
            assertNotNull(found);
            assertEquals(EndOutcome.SHARED, owner.endOk());
            assertTrue(found.release());
            assertEquals(EndOutcome.ENDED, owner.endOk());
            bio.assertOnce(BlkStatus.OK);
        }
    }
}
