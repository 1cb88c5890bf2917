package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.safety.RequestRef;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * {@code TagSet.tagToRq} (a lookup by tag, as a driver's interrupt handler does) races the owner's
 * end. The lookup returns null once the request is ended, or a counted reference to this very
 * issue (same generation) that keeps the owner's end from freeing the request under it (SHARED);
 * after release, the owner's retry ends it. r1: the owner's end; r2: the lookup; r3: the retry
 * ("-" if none); r4: the bio.
 *
 * <p>{@link Off} below is issue 11's matrix row "tagToRq vs end" under the one strategy that does not
 * refuse it: there the looked-up handle is used to end the request (a late completion found by tag),
 * as the matrix's scenario does after the owner's end.
 */
@JCStressTest
@Description("CHECKED: tagToRq vs end; the lookup gets null or a live reference of the same issue, never a lost "
        + "request")
@Outcome(id = "ENDED, NULL, -, OK", expect = ACCEPTABLE, desc = "ended first; the lookup found no live request")
@Outcome(id = "ENDED, REF_RELEASED, -, OK", expect = ACCEPTABLE, desc = "looked up and released before the end")
@Outcome(id = "SHARED, REF_RELEASED, ENDED, OK", expect = ACCEPTABLE,
        desc = "the lookup's reference refused the end; the retry ended it")
@Outcome(id = ".*, WRONG_GENERATION, .*", expect = FORBIDDEN, desc = "the lookup returned a handle of another issue")
@Outcome(id = ".*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(expect = FORBIDDEN, desc = "anything else: the request was lost or the lookup misbehaved")
@State
public class TagToRqVsEndTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "tagtorq");

    private final Probe p = RIG.issue();
    private final int tag = p.ref.tag();
    private final long gen = p.ref.generation();

    @Actor
    public void owner(LLLL_Result r) {
        r.r1 = RIG.seen(p.ref.end(BlkStatus.OK));
    }

    @Actor
    public void lookup(LLLL_Result r) {
        RequestRef<Cmd> x = p.lane.set.tagToRq(0, tag);
        if (x == null) {
            r.r2 = "NULL";
        } else if (x.generation() != gen) {
            r.r2 = "WRONG_GENERATION";
            x.release();
        } else {
            r.r2 = x.release() ? "REF_RELEASED" : "RELEASE_REFUSED";
        }
    }

    @Arbiter
    public void check(LLLL_Result r) {
        r.r3 = r.r1 == EndOutcome.ENDED ? "-" : RIG.seen(p.ref.end(BlkStatus.OK));
        r.r4 = p.completionSummary();
    }

    /**
     * OFF (C): the lookup returns the tag's one handle while the request is in flight, and its end is
     * not checked. r1: the owner's end; r2: the lookup ({@code NULL}, or {@code REF_} and its end);
     * r3: the bio; r4: the tag ({@link StrategyRace#tag}).
     */
    @JCStressTest
    @Description("OFF: tagToRq vs end, the lookup ending what it found; both may end the request")
    @Outcome(id = "ENDED, NULL, OK, FREED", expect = ACCEPTABLE,
            desc = "ended first; the lookup found nothing in flight")
    @Outcome(id = "ENDED, REF_ENDED, COMPLETED_2_TIMES, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted: the lookup found the request in flight and ended it, and so did the owner: the bio"
                    + " completed twice")
    @Outcome(id = "ENDED, REF_ENDED, (NOT_COMPLETED|OK|IOERR), .*", expect = FORBIDDEN,
            desc = "two ends went through, but the bio did not complete twice: a completion was lost")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN, desc = "the tag was never given back")
    @Outcome(expect = FORBIDDEN, desc = "anything else: mode OFF refused an end")
    @State
    public static class Off {
        private static final SafeRig RIG = SafeRig.create(Ownership.OFF, "tagtorq-off");

        private final Probe p = RIG.issue();
        private final long gen = StrategyRace.generation(p.ref);

        @Actor
        public void owner(LLLL_Result r) {
            r.r1 = StrategyRace.end(p.ref, BlkStatus.OK);
            StrategyRace.repairDoublePut(p.ref);
        }

        @Actor
        public void lookup(LLLL_Result r) {
            RequestRef<Cmd> x = p.lane.set.tagToRq(0, p.ref.tag());
            r.r2 = x == null ? "NULL" : "REF_" + StrategyRace.end(x, BlkStatus.IOERR);
            StrategyRace.repairDoublePut(p.ref);
        }

        @Arbiter
        public void check(LLLL_Result r) {
            r.r3 = p.completionSummary();
            r.r4 = StrategyRace.tag(p.ref, gen);
        }
    }
}
