package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.safety.OwnershipException;
import jblk.safety.RequestRef;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * The owner ends a request while another thread takes a second reference ({@code share()}, the
 * ARef clone) and releases it. An end while the share is outstanding is refused SHARED and must
 * change nothing: after the release the owner's retry ends it. r1: the owner's end; r2: the
 * sharer's result; r3: the owner's retry after a refusal ("-" if none was needed); r4: the bio.
 *
 * <p>The nested tests are issue 11's matrix row "end while shared" under the strategies that do not
 * refuse it, {@link Off} and {@link Hpref}: there the sharer does not just release its share, it
 * ends the request through it (then releases it if that end was refused), as the matrix's scenario
 * does after the owner's end.
 */
@JCStressTest
@Description("CHECKED: end vs share()/release(); a SHARED refusal never loses the request")
@Outcome(id = "ENDED, ALREADY_ENDED, -, OK", expect = ACCEPTABLE, desc = "ended first; share() refused")
@Outcome(id = "ENDED, SHARED_AND_RELEASED, -, OK", expect = ACCEPTABLE, desc = "shared and released before the end")
@Outcome(id = "SHARED, SHARED_AND_RELEASED, ENDED, OK", expect = ACCEPTABLE,
        desc = "end refused while shared; the retry after release ended it")
@Outcome(id = "SHARED, .*, (-|SHARED|ALREADY_ENDED|STALE), .*", expect = FORBIDDEN,
        desc = "the SHARED refusal lost the request")
@Outcome(id = ".*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, NOT_COMPLETED", expect = FORBIDDEN, desc = "the request was never ended")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class EndVsShareTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "endshare");

    private final Probe p = RIG.issue();

    @Actor
    public void owner(LLLL_Result r) {
        r.r1 = RIG.seen(p.ref.end(BlkStatus.OK));
    }

    @Actor
    public void sharer(LLLL_Result r) {
        RequestRef<Cmd> s;
        try {
            s = p.ref.share();
        } catch (OwnershipException e) {
            r.r2 = RIG.seen(e.outcome());
            return;
        }
        r.r2 = s.release() ? "SHARED_AND_RELEASED" : "RELEASE_REFUSED";
    }

    @Arbiter
    public void check(LLLL_Result r) {
        r.r3 = r.r1 == EndOutcome.ENDED ? "-" : RIG.seen(p.ref.end(BlkStatus.OK));
        r.r4 = p.completionSummary();
    }

    /**
     * One sample of the nested tests. r1: the owner's end; r2: the sharer ({@code SHARE_<refusal>}
     * when share() was refused, else its end through the share, with {@code _RELEASE_REFUSED} when
     * the release after a refused end failed); r3: the bio; r4: the tag ({@link StrategyRace#tag}).
     */
    static final class ShareEnds {
        private final Probe p;
        private final long gen;

        ShareEnds(SafeRig rig) {
            p = rig.issue();
            gen = StrategyRace.generation(p.ref);
        }

        void owner(LLLL_Result r) {
            r.r1 = StrategyRace.end(p.ref, BlkStatus.OK);
            StrategyRace.repairDoublePut(p.ref);
        }

        void sharer(LLLL_Result r) {
            RequestRef<Cmd> s;
            try {
                s = p.ref.share();
            } catch (OwnershipException e) {
                r.r2 = "SHARE_" + e.outcome();
                return;
            }
            String o = StrategyRace.end(s, BlkStatus.IOERR);
            r.r2 = o.equals("ENDED") || s.release() ? o : o + "_RELEASE_REFUSED";
            StrategyRace.repairDoublePut(p.ref);
        }

        void check(LLLL_Result r) {
            r.r3 = p.completionSummary();
            r.r4 = StrategyRace.tag(p.ref, gen);
        }
    }

    /** OFF (C): share() is the same pointer, so the owner's end and the share's both go through. */
    @JCStressTest
    @Description("OFF: the owner ends a request while a share of it ends it too; both go through")
    @Outcome(id = "ENDED, ENDED, COMPLETED_2_TIMES, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted: the end while shared went through, and so did the share's: the bio completed twice")
    @Outcome(id = "ENDED, ENDED, (NOT_COMPLETED|OK|IOERR), .*", expect = FORBIDDEN,
            desc = "two ends went through, but the bio did not complete twice: a completion was lost")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN, desc = "the tag was never given back")
    @Outcome(expect = FORBIDDEN, desc = "anything else: mode OFF refused something, it checks nothing")
    @State
    public static class Off {
        private static final SafeRig RIG = SafeRig.create(Ownership.OFF, "share-off");

        private final ShareEnds s = new ShareEnds(RIG);

        @Actor
        public void owner(LLLL_Result r) {
            s.owner(r);
        }

        @Actor
        public void sharer(LLLL_Result r) {
            s.sharer(r);
        }

        @Arbiter
        public void check(LLLL_Result r) {
            s.check(r);
        }
    }

    /**
     * HPREF: a share is a hazard pointer, which keeps the request's identity (its tag is not reused
     * while pinned) but not exclusivity: the owner's end is not held back by an outstanding share.
     */
    @JCStressTest
    @Description("HPREF: the owner ends a request while a share of it is out; the end is not refused, the request"
            + " still ends once")
    @Outcome(id = "ENDED, SHARE_ALREADY_ENDED, OK, FREED", expect = ACCEPTABLE,
            desc = "ended before share(), which was refused")
    @Outcome(id = "ENDED, ALREADY_ENDED, OK, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "undetected: the owner's end went through while the share was out (generation refuses it SHARED);"
                    + " the share's later end was refused and its pin dropped")
    @Outcome(id = "ALREADY_ENDED, ENDED, IOERR, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "undetected, from the other side: the share ended the request while the owner held its handle;"
                    + " the owner's end was refused")
    @Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "both ended the request: the CAS of rq->ref let both"
            + " through")
    @Outcome(id = ".*, .*, (NOT_COMPLETED|COMPLETED_.*), .*", expect = FORBIDDEN,
            desc = "the bio was lost or completed more than once")
    @Outcome(id = ".*, .*_RELEASE_REFUSED, .*", expect = FORBIDDEN, desc = "a share refused its end but not released")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN,
            desc = "the tag was never given back, or the share's pin outlived its release")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class Hpref {
        private static final SafeRig RIG = SafeRig.create(Ownership.HPREF, "share-hp");

        private final ShareEnds s = new ShareEnds(RIG);

        @Actor
        public void owner(LLLL_Result r) {
            s.owner(r);
        }

        @Actor
        public void sharer(LLLL_Result r) {
            s.sharer(r);
        }

        @Arbiter
        public void check(LLLL_Result r) {
            s.check(r);
        }
    }
}
