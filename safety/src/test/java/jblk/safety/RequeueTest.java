package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** requeue(): the request is dispatched again with a new token; the old handle is stale. */
class RequeueTest {

    @ParameterizedTest
    @EnumSource(value = Ownership.class, names = {"GENERATION", "DEBUG"})
    void requeueDispatchesAgainWithANewToken(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        List<EndOutcome> requeues = new CopyOnWriteArrayList<>();
        d.onQueueRq = (rq, n) -> {
            if (n == 1) {
                requeues.add(rq.requeue(true));
            } else {
                rq.endOk();
            }
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).ownership(mode).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.OK);
            assertEquals(List.of(EndOutcome.ENDED), requeues);
            assertEquals(2, d.queueRqCalls.get());
            RequestRef<Void> first = d.take();
            RequestRef<Void> second = d.take();
            assertEquals(first.tag(), second.tag(), "the request keeps its tag across a requeue");
            assertTrue(second.generation() > first.generation(), "a new token for the new dispatch");
            assertEquals(EndOutcome.STALE, first.endOk());
            assertEquals(EndOutcome.STALE, first.requeue(true));
            assertEquals(1, bio.calls.get());
            env.awaitTagsFree();
            assertEquals(2, env.violations().count(Violation.STALE));
        }
    }

    @Test
    void oldHandleCannotEndTheRequeuedRequestWhileTheNewOneOwnsIt() throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            if (n == 1) {
                rq.requeue(true);
            }
            return BlkStatus.OK; // the second dispatch is held
        };
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> first = d.take();
            RequestRef<Void> second = d.take();
            assertEquals(EndOutcome.STALE, first.endOk());
            assertEquals(0, bio.calls.get());
            assertEquals(EndOutcome.ENDED, second.end(BlkStatus.AGAIN));
            bio.assertOnce(BlkStatus.AGAIN);
        }
    }

    @Test
    void requeueWithoutKickWaitsForTheKick() throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            if (n == 1) {
                rq.requeue(false);
            } else {
                rq.endOk();
            }
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            Thread.sleep(200); // nothing may dispatch it in this window: a correctness check
            assertEquals(1, d.queueRqCalls.get(), "not dispatched before the requeue list is kicked");
            assertEquals(0, bio.calls.get());
            BlkMq.kickRequeueList(env.disk);
            bio.assertOnce(BlkStatus.OK);
            assertEquals(2, d.queueRqCalls.get());
        }
    }
}
