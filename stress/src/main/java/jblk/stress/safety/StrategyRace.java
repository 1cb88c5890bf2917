package jblk.stress.safety;

import jblk.blockcore.BlkStatus;
import jblk.safety.RequestRef;

/** Helpers for the per-strategy races (issue 11): an end whose -ea failure is an outcome, not an error. */
final class StrategyRace {
    static final String ASSERTION = "ASSERTION";

    private StrategyRace() {
    }

    /** The end's outcome name, or ASSERTION when blockcore's -ea check fired (C's undefined behaviour). */
    static String end(RequestRef<?> ref, BlkStatus st) {
        try {
            return ref.end(st).name();
        } catch (AssertionError e) {
            return ASSERTION;
        }
    }
}
