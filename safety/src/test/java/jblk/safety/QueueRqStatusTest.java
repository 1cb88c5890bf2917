package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** What queueRq's returned status does: retry (RESOURCE), end with it (errors), or a violation after an end. */
class QueueRqStatusTest {

    @ParameterizedTest
    @EnumSource(value = BlkStatus.class, names = {"RESOURCE", "DEV_RESOURCE"})
    void busyThenOkIsRetriedWithANewToken(BlkStatus busy) throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            if (n == 1) {
                return busy;
            }
            rq.endOk();
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.OK);
            assertEquals(2, d.queueRqCalls.get(), "issued again after " + busy);
            RequestRef<Void> first = d.take();
            RequestRef<Void> second = d.take();
            assertEquals(first.tag(), second.tag());
            assertNotEquals(first.generation(), second.generation(), "the busy return revoked the first token");
            assertEquals(EndOutcome.STALE, first.endOk());
            assertEquals(1, bio.calls.get());
            env.awaitTagsFree();
            assertEquals(1, env.violations().count(Violation.STALE));
        }
    }

    @ParameterizedTest
    @EnumSource(value = BlkStatus.class, names = {"NOTSUPP", "IOERR", "MEDIUM", "NOSPC"})
    void errorStatusWithoutEndingEndsTheBioWithIt(BlkStatus err) throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> err;
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(err);
            assertEquals(1, d.queueRqCalls.get(), "an error is final, not retried");
            assertEquals(EndOutcome.ALREADY_ENDED, d.take().endOk(), "the token was revoked");
            env.awaitTagsFree();
            assertEquals(0, env.violations().count(Violation.STATUS_AFTER_END));
        }
    }

    @ParameterizedTest
    @EnumSource(value = BlkStatus.class, names = {"NOTSUPP", "IOERR", "RESOURCE", "DEV_RESOURCE"})
    void statusAfterEndIsCountedAndTheFirstStatusWins(BlkStatus ret) throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            rq.end(BlkStatus.MEDIUM);
            return ret;
        };
        try (Env env = Env.builder(d).depth(1).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.MEDIUM);
            // depth 1: a second bio proves the tag is free and nothing of bio 1 is pending.
            Done next = env.submit(8);
            next.assertOnce(BlkStatus.MEDIUM);
            assertEquals(2, d.queueRqCalls.get(), "the first request was not issued again");
            assertEquals(1, bio.calls.get());
            assertEquals(BlkStatus.MEDIUM, bio.status);
            env.awaitTagsFree();
            assertEquals(2, env.violations().count(Violation.STATUS_AFTER_END));
        }
    }

    @Test
    void errorAfterCompleteIsCountedAndTheCompletionStands() throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            rq.complete();
            return BlkStatus.IOERR;
        };
        try (Env env = Env.builder(d).depth(1).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.OK);
            env.submit(8).assertOnce(BlkStatus.OK);
            assertEquals(1, bio.calls.get());
            assertEquals(2, d.completeCalls.get());
            assertEquals(2, env.violations().count(Violation.STATUS_AFTER_END));
        }
    }
}
