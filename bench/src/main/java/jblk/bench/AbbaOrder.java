package jblk.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of the variants in a round of {@code ./jblk compare}: as given in even rounds, reversed
 * in odd ones (A B C D, D C B A, A B C D ...). Over every two rounds each pair of variants runs once
 * in each order, so a drift in the machine's load (or a worker that is faster right after its
 * neighbour ran) favours neither side of a pair; and the two sides of a pair run next to each other
 * in time, so a load change within a round hits both.
 */
final class AbbaOrder {
    private AbbaOrder() {
    }

    static <T> List<T> of(List<T> variants, int round) {
        List<T> o = new ArrayList<>(variants);
        if ((round & 1) == 1) {
            Collections.reverse(o);
        }
        return o;
    }
}
