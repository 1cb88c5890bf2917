package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;

/** A handle whose tag was reused since (queueDepth 1 forces reuse) is STALE, with no ABA window. */
class StaleHandleTest {

    @Test
    void endThroughAHandleOfAnEarlierUseOfTheTagIsStale() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).depth(1).build()) {
            Done bio1 = env.submit(0);
            RequestRef<Void> h1 = d.take();
            assertEquals(EndOutcome.ENDED, h1.endOk());
            bio1.assertOnce(BlkStatus.OK);

            Done bio2 = env.submit(8);
            RequestRef<Void> h2 = d.take();
            assertEquals(h1.tag(), h2.tag(), "depth 1: the tag is reused");
            assertNotSame(h1, h2, "each issue gets its own handle");
            assertNotEquals(h1.generation(), h2.generation());

            assertEquals(EndOutcome.STALE, h1.end(BlkStatus.IOERR));
            assertEquals(EndOutcome.STALE, h1.complete());
            assertEquals(EndOutcome.STALE, h1.requeue(true));
            assertEquals(0, bio2.calls.get(), "a stale end does not touch the tag's new request");
            assertEquals(1, env.busyTags(), "the new request still holds the tag");
            assertEquals(1, bio1.calls.get());

            assertEquals(EndOutcome.ENDED, h2.endOk(), "the current handle is unaffected");
            bio2.assertOnce(BlkStatus.OK);
            assertEquals(3, env.violations().count(Violation.STALE));
            assertEquals(3, env.violations().total());
        }
    }

    @Test
    void staleStaysStaleAfterManyReusesAndWhileTheTagIsIdle() throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> n == 1 ? BlkStatus.OK : endInline(rq);
        try (Env env = Env.builder(d).depth(1).build()) {
            Done first = env.submit(0);
            RequestRef<Void> h1 = d.take();
            assertEquals(EndOutcome.ENDED, h1.endOk());
            first.assertOnce(BlkStatus.OK);
            for (int i = 0; i < 1000; i++) {
                env.submit(8).assertOnce(BlkStatus.OK);
            }
            // The tag is idle now (every later request ended); h1 is still recognised as stale.
            assertEquals(0, env.busyTags());
            assertEquals(EndOutcome.STALE, h1.endOk());
            // And while the tag is held by a new request, h1 cannot end it.
            d.onQueueRq = (rq, n) -> BlkStatus.OK;
            d.issued.clear();
            Done held = env.submit(16);
            RequestRef<Void> cur = d.take();
            assertEquals(EndOutcome.STALE, h1.endOk());
            assertEquals(0, held.calls.get());
            assertEquals(EndOutcome.ENDED, cur.endOk());
            held.assertOnce(BlkStatus.OK);
            assertEquals(1, first.calls.get());
            assertEquals(2, env.violations().count(Violation.STALE));
        }
    }

    private static BlkStatus endInline(RequestRef<Void> rq) {
        assertEquals(EndOutcome.ENDED, rq.endOk());
        return BlkStatus.OK;
    }
}
