package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** compare gives each next set of workers to the workload whose answer is least sure. */
class LeastSureTest {
    private static String pick(Map<String, Integer> sets, Map<String, Double> widest, int minSets) {
        return CompareMain.leastSure(List.copyOf(sets.keySet()).stream().sorted().toList(), sets::get, widest::get,
                minSets);
    }

    @Test
    void minSetsFirstThenTheWidestInterval() {
        // below --min-sets: the one with fewest sets, whatever the intervals say
        assertEquals("b", pick(Map.of("a", 2, "b", 1, "c", 2), Map.of("a", 9.0, "b", 0.1, "c", 3.0), 2));
        // all at --min-sets: the widest interval
        assertEquals("c", pick(Map.of("a", 2, "b", 3, "c", 2), Map.of("a", 1.5, "b", 0.9, "c", 4.0), 2));
        // an interval that cannot be computed yet counts as widest
        assertEquals("a", pick(Map.of("a", 2, "b", 2), Map.of("a", Double.POSITIVE_INFINITY, "b", 40.0), 2));
        // ties go to list order
        assertEquals("a", pick(Map.of("a", 2, "b", 2), Map.of("a", 1.0, "b", 1.0), 2));
        assertNull(CompareMain.leastSure(List.<String>of(), s -> 0, s -> 0.0, 2));
    }

    @Test
    void aSetOfOnlyTheGatedVariantsMeasuresTwiceAsLong() {
        CompareMain m = new CompareMain();
        assertEquals(8, m.roundsFor(4, 4), "--rounds when every variant runs");
        assertEquals(32, m.roundsFor(2, 4), "off and checked of four: twice the measuring time, 4x the rounds");
        assertEquals(20, m.roundsFor(3, 4), "an even number, rounded down from 21.3");
        m.rounds = 2;
        assertEquals(2, m.roundsFor(3, 3));
        assertEquals(8, m.roundsFor(2, 4));
    }
}
