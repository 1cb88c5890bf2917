package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;

/** share()/release(): SHARED while extra references are out (the Rust CAS 2 -> 0), RELEASED after release. */
class SharedReferenceTest {

    @Test
    void endWhileSharedIsRefusedThenReleaseAndEndSucceeds() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            RequestRef<Void> s = h.share();
            assertEquals(h.generation(), s.generation());
            assertEquals(h.tag(), s.tag());

            assertEquals(EndOutcome.SHARED, h.endOk());
            assertEquals(EndOutcome.SHARED, s.endOk(), "a share is refused too while the other reference is out");
            assertEquals(EndOutcome.SHARED, h.complete());
            assertEquals(0, bio.calls.get(), "a refused end changes nothing");
            assertEquals(1, env.busyTags());

            assertTrue(s.release());
            assertEquals(EndOutcome.ENDED, h.end(BlkStatus.NOSPC));
            bio.assertOnce(BlkStatus.NOSPC);
            assertEquals(3, env.violations().count(Violation.SHARED));
            assertEquals(3, env.violations().total());
        }
    }

    @Test
    void releasedReferenceIsRefusedAndOwnershipPassesToTheShare() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            RequestRef<Void> s = h.share();
            assertTrue(h.release(), "the original may drop its reference");
            assertEquals(EndOutcome.RELEASED, h.endOk());
            assertEquals(EndOutcome.RELEASED, h.complete());
            assertFalse(h.release(), "a second release is refused");
            OwnershipException e = assertThrows(OwnershipException.class, h::share);
            assertEquals(EndOutcome.RELEASED, e.outcome());
            assertEquals(0, bio.calls.get());

            assertEquals(EndOutcome.ENDED, s.endOk(), "the share is now the only reference: it may end");
            bio.assertOnce(BlkStatus.OK);
            assertEquals(EndOutcome.ALREADY_ENDED, s.endOk());
            assertEquals(1, bio.calls.get());

            Violations v = env.violations();
            assertEquals(4, v.count(Violation.RELEASED));
            assertEquals(1, v.count(Violation.ALREADY_ENDED));
            assertEquals(5, v.total());
        }
    }

    @Test
    void shareOfAnEndedRequestThrows() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            assertEquals(EndOutcome.ENDED, h.endOk());
            bio.assertOnce(BlkStatus.OK);
            OwnershipException e = assertThrows(OwnershipException.class, h::share);
            assertEquals(EndOutcome.ALREADY_ENDED, e.outcome());
            assertEquals(1, env.violations().count(Violation.ALREADY_ENDED));
        }
    }

    @Test
    void releaseOfAStaleReferenceDoesNotTouchTheTagsNextRequest() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).depth(1).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            RequestRef<Void> s = h.share();
            assertTrue(h.release());
            assertEquals(EndOutcome.ENDED, s.endOk());
            bio.assertOnce(BlkStatus.OK);
            // s ended its request but still holds its (dead) reference; the tag is reused now.
            Done bio2 = env.submit(8);
            RequestRef<Void> h2 = d.take();
            assertEquals(h.tag(), h2.tag());
            s.release();
            assertEquals(EndOutcome.ENDED, h2.endOk(), "the new request's reference count was not touched");
            bio2.assertOnce(BlkStatus.OK);
            assertEquals(0, env.violations().total());
        }
    }
}
