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
import org.openjdk.jcstress.infra.results.LLLL_Result;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * The driver ends a request while it expires: actor 2 performs the timeout scanner's expiry step
 * (CAS TIMED_OUT, then the vtable's timeout callback, whose driver handler ends the request with
 * TIMEOUT through its borrowed handle). r1: the driver's end; r2: what the expiry did; r3: the
 * bio's completion status.
 *
 * <p>The other strategies: {@link Off} below (issue 11's matrix row "end vs timeout", the one strategy
 * whose cell is not "refused"), {@code RefcountEndVsTimeoutTest}, {@code HprefEndVsTimeoutTest},
 * {@code OwnedEndVsTimeoutTest}.
 */
@JCStressTest
@Description("CHECKED: end vs the timeout handler's end; exactly one wins and the bio completes once with its status")
@Outcome(id = "ENDED, NOT_EXPIRED, OK", expect = ACCEPTABLE, desc = "ended before the scanner marked it")
@Outcome(id = "ENDED, HANDLER_SKIPPED, OK", expect = ACCEPTABLE,
        desc = "marked, but the vtable saw the end win and skipped the handler")
@Outcome(id = "ENDED, ALREADY_ENDED, OK", expect = ACCEPTABLE, desc = "the handler ran and was refused: the end won")
@Outcome(id = "ALREADY_ENDED, ENDED, TIMEOUT", expect = ACCEPTABLE,
        desc = "the timeout handler won; the driver's end was refused")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "both ended the request")
@Outcome(id = ".*, .*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, .*, NOT_COMPLETED", expect = FORBIDDEN, desc = "nobody ended the request")
@Outcome(expect = FORBIDDEN, desc = "anything else: the bio's status is not the winner's")
@State
public class EndVsTimeoutTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "endtmo");

    private final Probe p = RIG.issue();

    @Actor
    public void driverEnds(LLL_Result r) {
        r.r1 = RIG.seen(p.ref.end(BlkStatus.OK));
    }

    @Actor
    public void expires(LLL_Result r) {
        r.r2 = RIG.expire(p);
    }

    @Arbiter
    public void check(LLL_Result r) {
        r.r3 = p.completionSummary();
    }

    /**
     * OFF (C): the timeout handler gets the tag's one handle, and nothing decides between its end
     * and the driver's: blk_mq_end_request twice. r1: the driver's end; r2: what the expiry did
     * ({@link SafeRig#expire}); r3: the bio; r4: the tag ({@link StrategyRace#tag}).
     */
    @JCStressTest
    @Description("OFF: end vs the timeout handler's end; nothing decides, both may end the request")
    @Outcome(id = "ENDED, NOT_EXPIRED, OK, FREED", expect = ACCEPTABLE, desc = "ended before the scanner marked it")
    @Outcome(id = "ENDED, ENDED, COMPLETED_2_TIMES, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted: the scanner marked it before the end was done, and the handler ended it again: the bio"
                    + " completed twice (once TIMEOUT)")
    @Outcome(id = "ENDED, ENDED, (NOT_COMPLETED|OK|TIMEOUT), .*", expect = FORBIDDEN,
            desc = "two ends went through, but the bio did not complete twice: a completion was lost")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN, desc = "the tag was never given back")
    @Outcome(expect = FORBIDDEN, desc = "anything else: mode OFF refused an end, or the handler was skipped")
    @State
    public static class Off {
        private static final SafeRig RIG = SafeRig.create(Ownership.OFF, "endtmo-off");

        private final Probe p = RIG.issue();
        private final long gen = StrategyRace.generation(p.ref);

        @Actor
        public void driverEnds(LLLL_Result r) {
            r.r1 = StrategyRace.end(p.ref, BlkStatus.OK);
            StrategyRace.repairDoublePut(p.ref);
        }

        @Actor
        public void expires(LLLL_Result r) {
            r.r2 = RIG.expire(p);
            StrategyRace.repairDoublePut(p.ref);
        }

        @Arbiter
        public void check(LLLL_Result r) {
            r.r3 = p.completionSummary();
            r.r4 = StrategyRace.tag(p.ref, gen);
        }
    }
}
