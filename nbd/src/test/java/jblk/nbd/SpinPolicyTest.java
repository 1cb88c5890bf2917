package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The server-wide limit on readers polling at once, and the policy's bounds. */
class SpinPolicyTest {
    @Test
    void atMostMaxSpinnersPollAtOnce() {
        SpinPolicy p = new SpinPolicy(50_000, 2);
        assertTrue(p.tryStart());
        assertTrue(p.tryStart());
        assertFalse(p.tryStart(), "a third reader must sleep at once");
        p.end();
        assertTrue(p.tryStart(), "a turn freed is a turn taken");
        assertFalse(SpinPolicy.none().tryStart(), "polling off");
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() - 1), SpinPolicy.of(1000).maxSpinners());
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new SpinPolicy(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SpinPolicy(10_000_001L, 1));
        assertThrows(IllegalArgumentException.class, () -> new SpinPolicy(1000, 0));
    }
}
