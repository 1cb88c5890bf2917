package jblk.stress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The torture run's expected-contents model: range locks and bad ranges. */
class DataModelTest {
    @Test
    void rangeLocksExcludeOverlapsOnly() {
        DataModel m = new DataModel(100, List.of(new long[] {10, 12}));
        assertTrue(m.tryLock(20, 10));
        assertFalse(m.tryLock(29, 5));
        assertFalse(m.tryLock(15, 6));
        assertTrue(m.tryLock(30, 5));
        m.unlock(20, 10);
        assertTrue(m.tryLock(25, 5));
        assertTrue(m.overlapsBad(5, 6));
        assertFalse(m.overlapsBad(13, 5));
    }
}
