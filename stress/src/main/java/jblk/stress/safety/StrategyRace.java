package jblk.stress.safety;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;

/**
 * One sample of a per-strategy race (issue 11): a request of the strategy's rig, issued for this
 * sample, and what the actors and the arbiter of {@code {Refcount,Hpref,Owned}EndEndTest} and
 * {@code {Refcount,Hpref,Owned}EndVsTimeoutTest} do with it. jcstress takes {@code @Actor} and
 * {@code @Arbiter} methods from the test class itself, not from a superclass, so each test keeps
 * them, as one-line calls into this.
 */
abstract class StrategyRace {
    static final String ASSERTION = "ASSERTION";

    private final SafeRig rig;
    /** This sample's request and the handle its issue got. */
    final Probe p;

    StrategyRace(SafeRig rig) {
        this.rig = rig;
        this.p = rig.issue();
    }

    /** The end's outcome name. */
    final String end(BlkStatus st) {
        return p.ref.end(st).name();
    }

    /** The end's outcome name, or ASSERTION when blockcore's -ea check fired (C's undefined behaviour). */
    final String endOrAssertion(BlkStatus st) {
        try {
            return p.ref.end(st).name();
        } catch (AssertionError e) {
            return ASSERTION;
        }
    }

    /** What the timeout scanner's expiry step did with the request ({@link SafeRig#expire}). */
    final String expire() {
        return rig.expire(p);
    }

    /** The bio's completion ({@link Probe#completionSummary}). */
    final String completion() {
        return p.completionSummary();
    }

    /**
     * The bio's completion; when nobody ended the request, the driver's end is retried first, so the
     * rig's tag is not lost: {@code RETRY_<its outcome>_<the completion then>}.
     */
    final String completionAfterRetry() {
        String s = p.completionSummary();
        if (s.equals("NOT_COMPLETED")) {
            EndOutcome retry = p.ref.end(BlkStatus.OK);
            s = "RETRY_" + retry + "_" + p.completionSummary();
        }
        return s;
    }
}
