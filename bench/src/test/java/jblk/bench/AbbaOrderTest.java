package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rounds' order: A B C D, C B A D, ...: each pair but the last variant's runs once in each order
 * per block of two rounds, and no variant runs twice in a row.
 */
class AbbaOrderTest {
    private static final List<Variant> ALL = Variant.DEFAULT;

    @Test
    void evenRoundsAsGivenOddRoundsReversedButTheLast() {
        assertEquals(List.of(Variant.RAW, Variant.OFF, Variant.CHECKED, Variant.DEBUG), AbbaOrder.of(ALL, 0));
        assertEquals(List.of(Variant.CHECKED, Variant.OFF, Variant.RAW, Variant.DEBUG), AbbaOrder.of(ALL, 1));
        assertEquals(AbbaOrder.of(ALL, 0), AbbaOrder.of(ALL, 6));
        assertEquals(List.of(Variant.CHECKED, Variant.OFF), AbbaOrder.of(List.of(Variant.OFF, Variant.CHECKED), 1),
                "two variants: A B, B A");
        assertEquals(List.of(Variant.RAW, Variant.OFF, Variant.CHECKED, Variant.DEBUG), ALL,
                "the caller's list is not reordered");
    }

    @Test
    void everyPairButTheLastRunsAsOftenFirstAsSecondAtMirroredPlacesAndComparedPairsAreNeighbours() {
        List<Variant> balanced = ALL.subList(0, ALL.size() - 1);
        for (int rounds = 2; rounds <= 8; rounds += 2) {
            for (Variant a : balanced) {
                int placeSum = 0;
                for (int r = 0; r < 2; r++) {
                    placeSum += AbbaOrder.of(ALL, r).indexOf(a);
                }
                assertEquals(balanced.size() - 1, placeSum, a + ": the same mean place as every other, per block");
                for (Variant b : balanced) {
                    if (a == b) {
                        continue;
                    }
                    int aFirst = 0;
                    for (int r = 0; r < rounds; r++) {
                        List<Variant> o = AbbaOrder.of(ALL, r);
                        aFirst += o.indexOf(a) < o.indexOf(b) ? 1 : 0;
                    }
                    assertEquals(rounds / 2, aFirst, a + " before " + b + " in " + rounds + " rounds");
                }
            }
        }
        for (int r = 0; r < 2; r++) {
            List<Variant> o = AbbaOrder.of(ALL, r);
            for (ComparePair p : ComparePair.values()) {
                if (p.in(ALL) && p != ComparePair.DEBUG_VS_OFF) {
                    assertEquals(1, Math.abs(o.indexOf(p.a) - o.indexOf(p.b)), p + " side by side in " + o);
                }
            }
        }
    }

    @Test
    void withThreeOrMoreVariantsNoneRunsTwiceInARowAcrossRounds() {
        for (int k = 3; k <= ALL.size(); k++) {
            List<Variant> vs = ALL.subList(0, k);
            for (int r = 0; r < 6; r++) {
                List<Variant> o = AbbaOrder.of(vs, r);
                List<Variant> next = AbbaOrder.of(vs, r + 1);
                assertNotEquals(o.get(o.size() - 1), next.get(0), "round " + r + " " + o + " then " + next);
            }
        }
    }
}
