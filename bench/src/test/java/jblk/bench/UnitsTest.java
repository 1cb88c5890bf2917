package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void sizesAreBinaryAsFiosDefault() {
        assertEquals(4096, Units.parseSize("bs", "4k"));
        assertEquals(4096, Units.parseSize("bs", "4KiB"));
        assertEquals(4096, Units.parseSize("bs", "4kb"));
        assertEquals(512, Units.parseSize("bs", "512"));
        assertEquals(1L << 30, Units.parseSize("size", "1g"));
        assertEquals(3L << 20, Units.parseSize("size", "3M"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("bs", "-4k"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("bs", "k"));
    }

    @Test
    void timesAreSecondsUnlessSuffixed() {
        assertEquals(2_000_000_000L, Units.parseTimeNs("runtime", "2"));
        assertEquals(500_000_000L, Units.parseTimeNs("runtime", "500ms"));
        assertEquals(1_500_000_000L, Units.parseTimeNs("runtime", "1.5s"));
        assertEquals(60_000_000_000L, Units.parseTimeNs("runtime", "1m"));
        assertEquals(250_000L, Units.parseTimeNs("runtime", "250us"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseTimeNs("runtime", "ms"));
    }

    @Test
    void fioShortForms() {
        assertEquals("812", Units.shortCount(812));
        assertEquals("6915k", Units.shortCount(6_915_000));
        assertEquals("26.4GiB", Units.binary(26.4 * (1L << 30)));
        assertEquals("28.3GB", Units.decimal(28.3e9));
        assertEquals("159MiB", Units.binary(159 * (1L << 20)));
    }
}
