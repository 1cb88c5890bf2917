package jblk.blockcore.archfixture;

import jblk.nullblk.NullBlk;

/** Breaks the layering on purpose (blockcore naming nullblk) for RulesCanFailTest; never imported by the real check. */
public final class ImportsUpward {
    private ImportsUpward() {
    }

    static Object driver() {
        return new NullBlk();
    }
}
