package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ownership.parse and the -Djblk.ownership default. */
class OwnershipModeTest {

    @Test
    void parsesEachModeInAnyCase() {
        assertEquals(Ownership.OFF, Ownership.parse("off"));
        assertEquals(Ownership.CHECKED, Ownership.parse("CHECKED"));
        assertEquals(Ownership.DEBUG, Ownership.parse(" Debug "));
        assertFalse(Ownership.OFF.checked());
        assertTrue(Ownership.CHECKED.checked());
        assertTrue(Ownership.DEBUG.checked());
        assertEquals("generation", Ownership.CHECKED.toString(), "CHECKED is GENERATION's old name");
        assertEquals(Ownership.GENERATION, Ownership.parse("generation"));
        assertEquals(Ownership.REFCOUNT, Ownership.parse("refcount"));
        assertEquals(Ownership.HPREF, Ownership.parse("HPREF"));
        assertEquals(Ownership.OWNED, Ownership.parse("owned"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "", "on", "check"})
    void badValueIsRefusedWithTheAllowedModes(String v) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ownership.parse(v));
        assertEquals("ownership mode '" + v + "' is invalid: allowed "
                + "off, refcount, generation (or checked), hpref, owned, debug", e.getMessage());
    }

    @Test
    void systemPropertyPicksTheDefaultModeOfATagSet() {
        String saved = System.getProperty(Ownership.PROPERTY);
        try {
            System.clearProperty(Ownership.PROPERTY);
            assertEquals(Ownership.CHECKED, Ownership.fromSystemProperty());
            System.setProperty(Ownership.PROPERTY, "debug");
            assertEquals(Ownership.DEBUG, Ownership.fromSystemProperty());
            try (TagSet<Void, Void> s = TagSet.builder(new TestDriver()).build()) {
                assertEquals(Ownership.DEBUG, s.ownership());
            }
            System.setProperty(Ownership.PROPERTY, "off");
            try (TagSet<Void, Void> s = TagSet.builder(new TestDriver()).ownership(Ownership.CHECKED).build()) {
                assertEquals(Ownership.CHECKED, s.ownership(), "an explicit mode wins over the property");
            }
            System.setProperty(Ownership.PROPERTY, "bogus");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Ownership::fromSystemProperty);
            assertTrue(e.getMessage().contains("'bogus'"), e.getMessage());
        } finally {
            if (saved == null) {
                System.clearProperty(Ownership.PROPERTY);
            } else {
                System.setProperty(Ownership.PROPERTY, saved);
            }
        }
    }
}
