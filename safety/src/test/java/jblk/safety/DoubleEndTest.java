package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A second end (or complete, or requeue) through the same handle is refused and changes nothing. */
class DoubleEndTest {

    @ParameterizedTest
    @EnumSource(value = Ownership.class, names = {"GENERATION", "DEBUG"})
    void secondEndIsRefusedAndTheBioCompletesOnce(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(mode).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            assertEquals(EndOutcome.ENDED, h.end(BlkStatus.MEDIUM));
            bio.assertOnce(BlkStatus.MEDIUM);
            assertEquals(0, env.busyTags(), "the tag is free after the end");

            assertEquals(EndOutcome.ALREADY_ENDED, h.end(BlkStatus.OK));
            assertEquals(EndOutcome.ALREADY_ENDED, h.endOk());
            assertEquals(1, bio.calls.get(), "a refused end does not complete the bio again");
            assertEquals(BlkStatus.MEDIUM, bio.status, "a refused end does not change the status");
            assertEquals(0, env.busyTags());

            Violations v = env.violations();
            assertEquals(2, v.count(Violation.ALREADY_ENDED));
            assertEquals(2, v.total());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Ownership.class, names = {"GENERATION", "DEBUG"})
    void completeRequeueAndEndOrThrowAfterEndAreRefused(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(mode).build()) {
            Done bio = env.submit(8);
            RequestRef<Void> h = d.take();
            h.endOrThrow(BlkStatus.OK);
            bio.assertOnce(BlkStatus.OK);

            assertEquals(EndOutcome.ALREADY_ENDED, h.complete());
            assertEquals(EndOutcome.ALREADY_ENDED, h.completeAfter(1_000));
            assertEquals(EndOutcome.ALREADY_ENDED, h.requeue(true));
            OwnershipException e = assertThrows(OwnershipException.class, () -> h.endOrThrow(BlkStatus.IOERR));
            assertEquals(EndOutcome.ALREADY_ENDED, e.outcome());
            assertEquals(4, env.violations().count(Violation.ALREADY_ENDED));

            assertEquals(1, bio.calls.get());
            assertEquals(BlkStatus.OK, bio.status);
            assertEquals(0, d.completeCalls.get(), "a refused complete() never reaches the complete callback");
            assertEquals(1, d.queueRqCalls.get(), "a refused requeue() does not dispatch the request again");
            assertEquals(0, env.busyTags());
        }
    }
}
