package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jblk.nullblk.BadBlocks.Range;
import org.junit.jupiter.api.Test;

/** The bad block list: +start-end marks, -start-end clears, ranges merge and split; check finds overlaps. */
class BadBlocksTest {

    private static BadBlocks of(String cmds) {
        BadBlocks b = new BadBlocks();
        b.apply("badblocks", cmds);
        return b;
    }

    @Test
    void checkFindsTheFirstOverlappingRange() {
        BadBlocks b = of("+10-19,+40-49");
        assertNull(b.check(0, 10));
        assertEquals(new Range(10, 19), b.check(5, 10));
        assertEquals(new Range(10, 19), b.check(19, 1));
        assertNull(b.check(20, 20));
        assertEquals(new Range(40, 49), b.check(20, 21));
        assertEquals(new Range(10, 19), b.check(0, 100), "the first of two");
        assertNull(b.check(50, 1000));
    }

    @Test
    void adjacentAndOverlappingRangesMerge() {
        assertEquals(List.of(new Range(10, 29)), of("+10-19,+20-29").ranges());
        assertEquals(List.of(new Range(5, 30)), of("+10-19,+15-30,+5-12").ranges());
        assertEquals(List.of(new Range(0, 3), new Range(5, 8)), of("+5-8,+0-3").ranges());
    }

    @Test
    void clearSplitsAndRemoves() {
        assertEquals(List.of(new Range(0, 39), new Range(60, 99)), of("+0-99,-40-59").ranges());
        assertTrue(of("+0-9,-0-9").isEmpty());
        assertEquals(List.of(new Range(5, 9)), of("+0-9,-0-4,-100-200").ranges());
    }

    @Test
    void hexAndShowFormat() {
        BadBlocks b = of("+0x10-0x1f, +100-100");
        assertEquals(List.of(new Range(16, 31), new Range(100, 100)), b.ranges());
        assertEquals("16 16\n100 1\n", b.toString(), "badblocks_show: start length");
        assertEquals("", new BadBlocks().toString());
        assertTrue(new BadBlocks().isEmpty());
    }
}
