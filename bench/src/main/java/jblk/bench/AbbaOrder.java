package jblk.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of the variants in a round of {@code ./jblk compare}: as given in even rounds; in odd
 * ones reversed, except that with three or more variants the last one stays last (A B C D, C B A D,
 * A B C D ...). Over every two rounds (a block) each pair of the others runs once in each order and
 * at mirrored places, so a drift in the machine's load favours neither side; the sides of a compared
 * pair run next to each other in time. Keeping the last variant last means no variant runs twice in
 * a row across rounds: a run right after its own JVM's costs 4-6% less on the memory-backed
 * workloads than one after another JVM's. With two variants that cannot be had (A B, B A), so a
 * block gives each side one of each ({@link CompareReport#interval} pools a block's two rounds).
 * The last variant (debug by default) gives up the drift balance; its cost is tens of times the others'.
 */
final class AbbaOrder {
    private AbbaOrder() {
    }

    static <T> List<T> of(List<T> variants, int round) {
        List<T> o = new ArrayList<>(variants);
        if ((round & 1) == 1) {
            Collections.reverse(o.subList(0, o.size() >= 3 ? o.size() - 1 : o.size()));
        }
        return o;
    }
}
