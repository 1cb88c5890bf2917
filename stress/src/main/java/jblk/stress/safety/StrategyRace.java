package jblk.stress.safety;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.HazardPointers;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;
import jblk.blockcore.spi.RequestRefs;
import jblk.blockcore.spi.RequestWord;
import jblk.safety.EndOutcome;
import jblk.safety.RequestRef;
import jblk.safety.race.RaceAccess;

/**
 * The per-strategy races (issue 11). As a base class, one sample of a race: a request of the
 * strategy's rig, issued for this sample, and what the actors and the arbiter of
 * {@code {Refcount,Hpref,Owned}EndEndTest} and {@code {Refcount,Hpref,Owned}EndVsTimeoutTest} do with
 * it (jcstress takes {@code @Actor} and {@code @Arbiter} methods from the test class itself, not from
 * a superclass, so each test keeps them, as one-line calls into this). As static helpers, for the
 * matrix's cell tests: an end whose -ea failure is an outcome, not an error, and what became of a
 * sample's tag once the race is over.
 */
abstract class StrategyRace {
    static final String ASSERTION = "ASSERTION";
    /** {@link #tag}: the request gave its tag back (or the tag has been reused since). */
    static final String FREED = "FREED";
    /**
     * {@link #tag}: the tag was given back, but the request's state word still says allocated: a
     * late unchecked write (a complete() racing the end that freed it) overwrote the end's IDLE.
     */
    static final String STALE_WORD = "STALE_WORD";
    /** {@link #tag}: a reference to the sample's issue ({@code rq->ref}) was never dropped: the tag is held. */
    static final String HELD = "HELD";
    /** {@link #tag}: a hazard pointer still pins the sample's request, so its tag cannot be reused. */
    static final String PINNED = "PINNED";

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

    /** {@link #end(RequestRef, BlkStatus)} through this sample's handle. */
    final String endOrAssertion(BlkStatus st) {
        return end(p.ref, st);
    }

    /** The end's outcome name, or ASSERTION when blockcore's -ea check fired (C's undefined behaviour). */
    static String end(RequestRef<?> ref, BlkStatus st) {
        try {
            return ref.end(st).name();
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

    /**
     * Mode OFF and owned's racing double end, called by each actor after its ends of a sample (a no-op
     * while the count is not negative): a double end's second put takes {@code rq->ref} to -1 (the
     * kernel's refcount would warn of an underflow).
     * The tag's next allocation sets it to 1 only after taking the tag, so a tag iterator's get and put
     * in between (the timeout scan, every 100 ms: it increments any count but 0) would free the tag
     * under its next owner, another sample, whose bio would then be lost or completed by a stranger
     * (seen in -m quick). The actor that finds the count below zero puts it back to 0 with a CAS,
     * while jcstress allocates nothing, so the corruption stays in its own sample; whichever put came
     * last, its actor repairs it.
     */
    static void repairDoublePut(RequestRef<?> ref) {
        Request rq = RaceAccess.requestOf(ref);
        int r = RequestRefs.lvRef(rq);
        if (r < 0) {
            RequestRefs.casRef(rq, r, 0);
        }
    }

    /** The generation of the request behind {@code ref} now (blockcore bumps it at each allocation, in every mode). */
    static long generation(RequestRef<?> ref) {
        return RequestState.generation(RequestWord.laWord(RaceAccess.requestOf(ref)));
    }

    /**
     * FREED, STALE_WORD, HELD or PINNED: whether the request behind {@code ref}, issue {@code gen},
     * gave its tag back, i.e. dropped its last {@code rq->ref} (the put that frees the tag) and any
     * hazard pointer. For an arbiter, after every end of the sample. jcstress builds the next samples
     * (which allocate tags) on one thread while it runs arbiters on the other, so a tag may be reused
     * under the check: a new generation counts as freed, and a HELD seen while the next allocation is
     * half done (its {@code rq->ref} is set before its generation is published) is looked at again,
     * for up to a second (the allocating thread may be preempted in between on a loaded machine).
     */
    static String tag(RequestRef<?> ref, long gen) {
        Request rq = RaceAccess.requestOf(ref);
        String s = tagOnce(rq, gen);
        long deadline = System.nanoTime() + 1_000_000_000L;
        while ((s.equals(HELD) || s.equals(PINNED)) && System.nanoTime() - deadline < 0) {
            Thread.yield();
            s = tagOnce(rq, gen);
        }
        return s;
    }

    private static String tagOnce(Request rq, long gen) {
        int ref = RequestRefs.lvRef(rq);
        HazardPointers hp = RequestRefs.hazards(rq);
        boolean pinned = hp != null && hp.isProtected(rq);
        long w = RequestWord.laWord(rq);
        if (RequestState.generation(w) != gen) {
            return FREED;
        }
        if (pinned) {
            return PINNED;
        }
        if (ref > 0) { // OFF's double end takes rq->ref below zero: only a positive count is held
            return HELD;
        }
        return RequestState.allocated(w) ? STALE_WORD : FREED;
    }
}
