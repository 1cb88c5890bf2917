package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;

/**
 * Mode OFF is C semantics: the handle is the tag's one object and nothing is checked. A double end
 * is undefined; with {@code -ea} blockcore's assertion catches it (the tests run with -ea).
 */
class OwnershipOffTest {

    @Test
    void doubleEndIsNotDetectedByATokenButByBlockcoresAssertion() throws Exception {
        assumeTrue(SafetyTestSupport.assertionsEnabled(), "needs -ea (the surefire configuration sets it)");
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.OFF).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            assertEquals(EndOutcome.ENDED, h.endOk());
            bio.assertOnce(BlkStatus.OK);
            AssertionError e = assertThrows(AssertionError.class, h::endOk);
            assertTrue(e.getMessage().contains("ended twice"), e.getMessage());
            assertEquals(1, bio.calls.get(), "the assertion fired before the bio was completed again");
            assertEquals(0, env.violations().total(), "mode off counts no ownership violation");
            env.awaitTagsFree();
        }
    }

    @Test
    void handleIsTheTagsOneObjectSoAStaleHandleEndsTheNewRequest() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.OFF).depth(1).build()) {
            Done bio1 = env.submit(0);
            RequestRef<Void> h1 = d.take();
            assertEquals(0, h1.generation(), "mode off carries no generation");
            h1.endOk();
            bio1.assertOnce(BlkStatus.OK);
            Done bio2 = env.submit(8);
            RequestRef<Void> h2 = d.take();
            assertSame(h1, h2, "one handle per tag, reused for every I/O");
            // C semantics: the "stale" handle ends whatever the tag holds now.
            assertEquals(EndOutcome.ENDED, h1.end(BlkStatus.IOERR));
            bio2.assertOnce(BlkStatus.IOERR);
            assertEquals(1, bio1.calls.get());
        }
    }

    @Test
    void shareAndReleaseAreNoOps() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.OFF).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            assertSame(h, h.share());
            assertEquals(EndOutcome.ENDED, h.endOk(), "no SHARED refusal in mode off");
            bio.assertOnce(BlkStatus.OK);
            assertTrue(h.release());
            assertEquals(Ownership.OFF, env.set.ownership());
        }
    }

    @Test
    void completionsAndRequeuesWorkAsInC() throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            if (n % 3 == 1) {
                rq.requeue(true);
            } else {
                rq.complete();
            }
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).ownership(Ownership.OFF).build()) {
            Done[] bios = new Done[30];
            for (int i = 0; i < bios.length; i++) {
                bios[i] = env.submit(8L * i);
            }
            for (Done b : bios) {
                b.assertOnce(BlkStatus.OK);
            }
            env.awaitTagsFree();
        }
    }
}
