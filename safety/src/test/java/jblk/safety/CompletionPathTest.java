package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** complete() / completeAfter(): the handle goes to the completion context, which ends it in complete(). */
class CompletionPathTest {

    @ParameterizedTest
    @EnumSource(value = Ownership.class, names = {"GENERATION", "DEBUG"})
    void completeThenEndInTheCallbackThroughItsOwnHandle(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        List<EndOutcome> fromQueueRq = new CopyOnWriteArrayList<>();
        d.onQueueRq = (rq, n) -> {
            fromQueueRq.add(rq.complete());
            return BlkStatus.OK;
        };
        d.onComplete = rq -> d.completeOutcomes.add(rq.end(BlkStatus.PROTECTION));
        try (Env env = Env.builder(d).ownership(mode).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.PROTECTION);
            SafetyTestSupport.awaitSize(d.completeOutcomes, 1);
            assertEquals(List.of(EndOutcome.ENDED), fromQueueRq);
            assertEquals(List.of(EndOutcome.ENDED), d.completeOutcomes);
            RequestRef<Void> given = d.take();
            RequestRef<Void> callback = d.completeHandles.get(0);
            // complete() gave the owner handle away (Rust moves the ARef): the callback has its own,
            // for the same issue, and the given-away one is refused from then on.
            assertNotSame(given, callback, "the complete callback gets a handle of its own");
            assertEquals(given.generation(), callback.generation());
            assertEquals(1, d.completeCalls.get());
            assertEquals(0, env.violations().total());
            assertEquals(EndOutcome.ALREADY_ENDED, given.end(BlkStatus.OK));
        }
    }

    @Test
    void endThroughTheOriginalHandleBeforeTheCallbackRunsIsRefused() throws Exception {
        TestDriver d = new TestDriver();
        CountDownLatch inFirstCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<EndOutcome> early = new CopyOnWriteArrayList<>();
        d.onQueueRq = (rq, n) -> {
            early.add(rq.complete());
            if (n == 2) {
                // The softirq thread is stuck in request 1's callback, so request 2's has not run.
                early.add(rq.endOk());
                early.add(rq.complete());
            }
            return BlkStatus.OK;
        };
        d.onComplete = rq -> {
            if (d.completeCalls.get() == 1) {
                inFirstCallback.countDown();
                try {
                    assertTrue(release.await(SafetyTestSupport.WAIT_S, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            d.completeOutcomes.add(rq.endOk());
        };
        try (Env env = Env.builder(d).build()) {
            Done bio1 = env.submit(0);
            assertTrue(inFirstCallback.await(SafetyTestSupport.WAIT_S, TimeUnit.SECONDS));
            Done bio2 = env.submit(8);
            assertEquals(List.of(EndOutcome.ENDED, EndOutcome.ENDED, EndOutcome.ALREADY_ENDED,
                    EndOutcome.ALREADY_ENDED), early);
            assertEquals(0, bio2.calls.get(), "the refused end did not end the request");
            release.countDown();
            bio1.assertOnce(BlkStatus.OK);
            bio2.assertOnce(BlkStatus.OK);
            SafetyTestSupport.awaitSize(d.completeOutcomes, 2);
            assertEquals(List.of(EndOutcome.ENDED, EndOutcome.ENDED), d.completeOutcomes);
            assertEquals(2, env.violations().count(Violation.ALREADY_ENDED));
            env.awaitTagsFree();
        }
    }

    @ParameterizedTest
    @EnumSource(Ownership.class)
    void completeAfterRunsTheCallbackLater(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        List<EndOutcome> fromQueueRq = new CopyOnWriteArrayList<>();
        d.onQueueRq = (rq, n) -> {
            fromQueueRq.add(rq.completeAfter(200_000));
            return BlkStatus.OK;
        };
        d.onComplete = rq -> d.completeOutcomes.add(rq.end(BlkStatus.OK));
        try (Env env = Env.builder(d).ownership(mode).build()) {
            Done[] bios = new Done[20];
            for (int i = 0; i < bios.length; i++) {
                bios[i] = env.submit(8L * i);
            }
            for (Done b : bios) {
                b.assertOnce(BlkStatus.OK);
            }
            SafetyTestSupport.awaitSize(d.completeOutcomes, 20);
            assertEquals(20, d.completeCalls.get());
            assertEquals(20, d.completeOutcomes.stream().filter(o -> o == EndOutcome.ENDED).count());
            assertTrue(fromQueueRq.stream().allMatch(o -> o == EndOutcome.ENDED));
            env.awaitTagsFree();
            assertEquals(0, env.violations().total());
        }
    }

    @Test
    void secondCompleteAfterIsRefusedAndCompletesOnce() throws Exception {
        TestDriver d = new TestDriver();
        List<EndOutcome> fromQueueRq = new CopyOnWriteArrayList<>();
        d.onQueueRq = (rq, n) -> {
            fromQueueRq.add(rq.completeAfter(1_000_000));
            fromQueueRq.add(rq.completeAfter(1_000_000));
            fromQueueRq.add(rq.complete());
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).depth(1).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.OK);
            env.submit(8).assertOnce(BlkStatus.OK); // after the first's timer and callback
            assertEquals(EndOutcome.ENDED, fromQueueRq.get(0));
            assertEquals(EndOutcome.ALREADY_ENDED, fromQueueRq.get(1));
            assertEquals(EndOutcome.ALREADY_ENDED, fromQueueRq.get(2));
            assertEquals(2, d.completeCalls.get(), "one callback per request");
            assertEquals(1, bio.calls.get());
            assertEquals(4, env.violations().count(Violation.ALREADY_ENDED));
        }
    }

    /**
     * The completion handle may end or requeue (as the kernel's complete paths retry with
     * blk_mq_requeue_request), but not complete again; after its requeue it is stale.
     */
    @Test
    void completionHandleMayRequeueOnceButNotCompleteAgain() throws Exception {
        TestDriver d = new TestDriver();
        List<EndOutcome> inCallback = new CopyOnWriteArrayList<>();
        d.onQueueRq = (rq, n) -> {
            rq.complete();
            return BlkStatus.OK;
        };
        d.onComplete = rq -> {
            inCallback.add(rq.complete());
            if (inCallback.size() == 1) {
                inCallback.add(rq.requeue(true)); // first completion: retry it
                inCallback.add(rq.endOk());
            } else {
                inCallback.add(rq.endOk());
                inCallback.add(rq.endOk());
            }
        };
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.OK);
            SafetyTestSupport.awaitSize(inCallback, 6);
            assertEquals(List.of(EndOutcome.ALREADY_ENDED, EndOutcome.ENDED, EndOutcome.STALE,
                    EndOutcome.ALREADY_ENDED, EndOutcome.ENDED, EndOutcome.ALREADY_ENDED), inCallback);
            assertEquals(2, d.queueRqCalls.get(), "issued again after the callback's requeue");
            assertEquals(3, env.violations().count(Violation.ALREADY_ENDED));
            assertEquals(1, env.violations().count(Violation.STALE));
        }
    }
}
