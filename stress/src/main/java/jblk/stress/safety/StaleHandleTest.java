package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.Ownership;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLLL_Result;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * A stale handle (its request was ended and the tag handed to a new request since) is used to end
 * the request while the tag's new owner ends its own. r1: the stale end; r2: the new owner's end;
 * r3: the new bio's completion (it must carry the new owner's OK, not the stale IOERR); r4: the old
 * bio's completion count (it must stay 1).
 *
 * <p>The nested tests are issue 11's matrix row "stale handle after tag reuse" under the strategies
 * whose handle is one per tag, so a stale handle is the tag's current one: {@link Off} and
 * {@link Refcount} (the same race, r5: the tag, {@link StrategyRace#tag}).
 */
@JCStressTest
@Description("CHECKED: a stale handle's end races the tag's next owner; the stale end is refused, the owner's wins")
@Outcome(id = "STALE, ENDED, OK, 1", expect = ACCEPTABLE,
        desc = "stale end refused by generation; the new owner ended its request")
@Outcome(id = "ENDED, .*", expect = FORBIDDEN, desc = "a stale handle ended the tag's new request")
@Outcome(expect = FORBIDDEN, desc = "anything else: the new request was disturbed by the stale handle")
@State
public class StaleHandleTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "stale");

    private final Probe old;
    private final Probe next;

    public StaleHandleTest() {
        SafeRig.TagReuse t = RIG.reuseTag();
        old = t.old();
        next = t.next();
    }

    @Actor
    public void staleEnd(LLLL_Result r) {
        r.r1 = RIG.seen(old.ref.end(BlkStatus.IOERR));
    }

    @Actor
    public void ownerEnd(LLLL_Result r) {
        r.r2 = RIG.seen(next.ref.end(BlkStatus.OK));
    }

    @Arbiter
    public void check(LLLL_Result r) {
        r.r3 = next.completionSummary();
        r.r4 = old.completions();
    }

    /** One sample of the nested tests: a request ended and its tag reissued, raced as above. */
    static final class Reuse {
        private final Probe old;
        private final Probe next;
        private final long gen;

        Reuse(SafeRig rig) {
            SafeRig.TagReuse t = rig.reuseTag();
            old = t.old();
            next = t.next();
            gen = StrategyRace.generation(next.ref);
        }

        void staleEnd(LLLLL_Result r) {
            r.r1 = StrategyRace.end(old.ref, BlkStatus.IOERR);
            StrategyRace.repairDoublePut(next.ref);
        }

        void ownerEnd(LLLLL_Result r) {
            r.r2 = StrategyRace.end(next.ref, BlkStatus.OK);
            StrategyRace.repairDoublePut(next.ref);
        }

        void check(LLLLL_Result r) {
            r.r3 = next.completionSummary();
            r.r4 = old.completions();
            r.r5 = StrategyRace.tag(next.ref, gen);
        }
    }

    /** OFF (C): the stale handle is the tag's request itself; both ends go through. */
    @JCStressTest
    @Description("OFF: a stale handle's end races the tag's next owner; both end the new request")
    @Outcome(id = "ENDED, ENDED, COMPLETED_2_TIMES, 1, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted: the stale end ended the tag's next request too; its bio completed twice")
    @Outcome(id = "(ALREADY_ENDED|STALE|SHARED|RELEASED).*|.*, (ALREADY_ENDED|STALE|SHARED|RELEASED), .*",
            expect = FORBIDDEN, desc = "mode OFF refused an end: it checks nothing")
    @Outcome(id = "ENDED, ENDED, (NOT_COMPLETED|OK|IOERR), .*", expect = FORBIDDEN,
            desc = "two ends went through, but the new bio did not complete twice: a completion was lost")
    @Outcome(id = ".*, .*, .*, [02-9], .*", expect = FORBIDDEN, desc = "the old bio was completed again")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN, desc = "the tag was never given back")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class Off {
        private static final SafeRig RIG = SafeRig.create(Ownership.OFF, "stale-off");

        private final Reuse s = new Reuse(RIG);

        @Actor
        public void staleEnd(LLLLL_Result r) {
            s.staleEnd(r);
        }

        @Actor
        public void ownerEnd(LLLLL_Result r) {
            s.ownerEnd(r);
        }

        @Arbiter
        public void check(LLLLL_Result r) {
            s.check(r);
        }
    }

    /**
     * REFCOUNT (Rust mainline): the handle is a pointer to the tag's request and the CAS 2 -> 0 is
     * on the tag's token, so the stale end competes with the owner's for the new issue and may win.
     */
    @JCStressTest
    @Description("REFCOUNT: a stale handle's end races the tag's next owner; exactly one ends the new request, and"
            + " it may be the stale one")
    @Outcome(id = "ENDED, ALREADY_ENDED, IOERR, 1, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted: the stale handle won the new issue's CAS 2 -> 0 and ended the tag's next request with"
                    + " its IOERR; the owner's end was refused")
    @Outcome(id = "ALREADY_ENDED, ENDED, OK, 1, FREED", expect = ACCEPTABLE,
            desc = "the owner ended first; the stale end was refused ALREADY_ENDED, by the order, not as stale")
    @Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN,
            desc = "both ended the request: the CAS 2 -> 0 let both through")
    @Outcome(id = ".*, .*, (NOT_COMPLETED|COMPLETED_.*), .*", expect = FORBIDDEN,
            desc = "the new bio was lost or completed more than once")
    @Outcome(id = ".*, .*, .*, [02-9], .*", expect = FORBIDDEN, desc = "the old bio was completed again")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN, desc = "the tag was never given back")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class Refcount {
        private static final SafeRig RIG = SafeRig.create(Ownership.REFCOUNT, "stale-rc");

        private final Reuse s = new Reuse(RIG);

        @Actor
        public void staleEnd(LLLLL_Result r) {
            s.staleEnd(r);
        }

        @Actor
        public void ownerEnd(LLLLL_Result r) {
            s.ownerEnd(r);
        }

        @Arbiter
        public void check(LLLLL_Result r) {
            s.check(r);
        }
    }
}
