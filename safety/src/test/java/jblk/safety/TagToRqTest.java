package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;

/** TagSet.tagToRq: a counted reference only while the driver owns the request. */
class TagToRqTest {

    @Test
    void referenceOnlyWhileTheDriverOwnsTheRequest() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).depth(2).build()) {
            assertNull(env.set.tagToRq(0, 0), "a free tag has no request");
            assertNull(env.set.tagToRq(0, 1));

            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            RequestRef<Void> looked = env.set.tagToRq(0, owner.tag());
            assertNotNull(looked);
            assertEquals(owner.generation(), looked.generation());
            assertEquals(owner.sector(), looked.sector());

            assertEquals(EndOutcome.SHARED, owner.endOk(), "the lookup's reference must be released first");
            assertEquals(0, bio.calls.get());
            assertTrue(looked.release());
            assertEquals(EndOutcome.ENDED, owner.endOk());
            bio.assertOnce(BlkStatus.OK);

            assertNull(env.set.tagToRq(0, owner.tag()), "no reference after the end");
            assertEquals(1, env.violations().count(Violation.SHARED));
        }
    }

    @Test
    void noReferenceForAnAllocatedButNotStartedRequest() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).depth(1).build()) {
            env.disk.quiesce();
            Done bio = env.submit(0); // allocated (holds the tag) but not dispatched
            assertEquals(1, env.busyTags());
            assertEquals(0, d.queueRqCalls.get());
            assertNull(env.set.tagToRq(0, 0), "not started: not the driver's");
            env.disk.unquiesce();
            RequestRef<Void> owner = d.take();
            RequestRef<Void> looked = env.set.tagToRq(0, 0);
            assertNotNull(looked, "started: the driver's");
            assertTrue(looked.release());
            assertEquals(EndOutcome.ENDED, owner.endOk());
            bio.assertOnce(BlkStatus.OK);
        }
    }

    @Test
    void lookedUpReferenceMayEndTheRequestOnceTheOwnerReleased() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            RequestRef<Void> looked = env.set.tagToRq(0, owner.tag());
            assertTrue(owner.release());
            assertEquals(EndOutcome.ENDED, looked.end(BlkStatus.TRANSPORT));
            bio.assertOnce(BlkStatus.TRANSPORT);
            assertEquals(EndOutcome.RELEASED, owner.endOk());
        }
    }

    @Test
    void modeOffReturnsTheTagsOneHandleWhileInFlight() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.OFF).build()) {
            assertNull(env.set.tagToRq(0, 0));
            Done bio = env.submit(0);
            RequestRef<Void> owner = d.take();
            assertSame(owner, env.set.tagToRq(0, owner.tag()), "mode off: one handle per tag, nothing counted");
            assertEquals(EndOutcome.ENDED, owner.endOk());
            bio.assertOnce(BlkStatus.OK);
            assertNull(env.set.tagToRq(0, owner.tag()));
        }
    }

    @Test
    void outOfRangeArgumentsNameTheAllowedRange() {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).depth(4).build()) {
            IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> env.set.tagToRq(1, 0));
            assertTrue(q.getMessage().contains("hw queue 1") && q.getMessage().contains("allowed 0..0"),
                    q.getMessage());
            IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> env.set.tagToRq(0, 4));
            assertTrue(t.getMessage().contains("tag 4") && t.getMessage().contains("allowed 0..3"), t.getMessage());
            assertThrows(IllegalArgumentException.class, () -> env.set.tagToRq(-1, 0));
            assertThrows(IllegalArgumentException.class, () -> env.set.tagToRq(0, -1));
        }
    }
}
