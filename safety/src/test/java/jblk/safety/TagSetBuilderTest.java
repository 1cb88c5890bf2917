package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import jblk.blockcore.TagSetFlag;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TagSet.Builder: each invalid value is refused with a message naming the parameter and the allowed range. */
class TagSetBuilderTest {

    private static String refusal(UnaryOperator<TagSet.Builder<Void, Void>> config) {
        TagSet.Builder<Void, Void> b = TagSet.builder(new TestDriver());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.apply(b).build());
        return e.getMessage();
    }

    @ParameterizedTest
    @CsvSource({"0", "65537", "-1"})
    void queueDepthOutOfRange(int depth) {
        String m = refusal(b -> b.queueDepth(depth));
        assertEquals("queue_depth " + depth + " is out of range: allowed 1..65536", m);
    }

    @ParameterizedTest
    @CsvSource({"0", "257"})
    void hwQueuesOutOfRange(int n) {
        String m = refusal(b -> b.nrHwQueues(n));
        assertEquals("nr_hw_queues " + n + " is out of range: allowed 1..256", m);
    }

    @Test
    void pollQueuesMustLeaveADefaultQueue() {
        String m = refusal(b -> b.nrHwQueues(2).nrPollQueues(2));
        assertTrue(m.contains("poll queues 2") && m.contains("allowed 0..1"), m);
    }

    @ParameterizedTest
    @CsvSource({"64,64", "64,65", "1,1", "8,-1"})
    void reservedTagsMustBeBelowTheDepth(int depth, int reserved) {
        String m = refusal(b -> b.queueDepth(depth).reservedTags(reserved));
        assertEquals("reserved_tags " + reserved + " is out of range: allowed 0.." + (depth - 1), m);
    }

    @Test
    void timeoutZeroNegativeOrNullIsRefused() {
        for (Duration t : new Duration[] {Duration.ZERO, Duration.ofMillis(-5), Duration.ofNanos(500), null}) {
            String m = refusal(b -> b.timeout(t));
            assertTrue(m.startsWith("timeout " + t + " is out of range") && m.contains("allowed 1 ms or more"), m);
        }
    }

    @Test
    void nullOwnershipAndNullOpsAreRefused() {
        TagSet.Builder<Void, Void> b = TagSet.builder(new TestDriver());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.ownership(null));
        assertEquals("ownership must not be null: allowed off, refcount, generation (or checked), hpref, owned, debug",
                e.getMessage());
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class, () -> TagSet.builder(null));
        assertTrue(o.getMessage().contains("operations must not be null"), o.getMessage());
    }

    @Test
    void validValuesAtTheLimitsBuild() {
        try (TagSet<Void, Void> s = TagSet.builder(new TestDriver()).queueDepth(1).nrHwQueues(1)
                .timeout(Duration.ofMillis(1)).ownership(Ownership.DEBUG).build()) {
            assertEquals(1, s.raw().queueDepth());
            assertEquals(Ownership.DEBUG, s.ownership());
        }
        try (TagSet<Void, Void> s = TagSet.builder(new TestDriver()).queueDepth(65536).reservedTags(65535)
                .nrHwQueues(1).build()) {
            assertEquals(65536, s.raw().queueDepth());
            assertEquals(65535, s.raw().reservedTags());
        }
        try (TagSet<Void, Void> s = TagSet.builder(new TestDriver()).nrHwQueues(256).nrPollQueues(255).queueDepth(1)
                .blocking(true).sharedTagBitmap(true).build()) {
            assertEquals(256, s.raw().nrHwQueues());
            assertEquals(255, s.raw().nrPollQueues());
            assertTrue(s.raw().flags().contains(TagSetFlag.BLOCKING));
            assertTrue(s.raw().flags().contains(TagSetFlag.TAG_HCTX_SHARED));
        }
    }

    @Test
    void defaultsMirrorTheRustBuilder() {
        try (TagSet<Void, Void> s = TagSet.builder(new TestDriver()).build()) {
            assertEquals(256, s.raw().queueDepth(), "Rust's default num_tags");
            assertEquals(1, s.raw().nrHwQueues());
            assertEquals(Duration.ofSeconds(30), s.raw().timeout());
        }
    }
}
