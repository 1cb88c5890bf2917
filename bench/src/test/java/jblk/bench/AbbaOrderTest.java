package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rounds' order: A B C D, D C B A, ...: each pair runs once in each order per two rounds. */
class AbbaOrderTest {
    private static final List<Variant> ALL = Variant.DEFAULT;

    @Test
    void evenRoundsAsGivenOddRoundsReversed() {
        assertEquals(List.of(Variant.RAW, Variant.OFF, Variant.CHECKED, Variant.DEBUG), AbbaOrder.of(ALL, 0));
        assertEquals(List.of(Variant.DEBUG, Variant.CHECKED, Variant.OFF, Variant.RAW), AbbaOrder.of(ALL, 1));
        assertEquals(AbbaOrder.of(ALL, 0), AbbaOrder.of(ALL, 6));
        assertEquals(List.of(Variant.RAW, Variant.OFF, Variant.CHECKED, Variant.DEBUG), ALL,
                "the caller's list is not reordered");
    }

    @Test
    void everyPairRunsAsOftenFirstAsSecondAndComparedPairsAreNeighbours() {
        for (int rounds = 2; rounds <= 8; rounds += 2) {
            for (Variant a : ALL) {
                for (Variant b : ALL) {
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
}
