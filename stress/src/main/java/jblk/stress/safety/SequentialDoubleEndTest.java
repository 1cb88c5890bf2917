package jblk.stress.safety;

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

/**
 * Issue 11's matrix row "sequential double end", one nested test per strategy whose cell is not
 * "refused" (docs/OWNERSHIP.md): the driver ends a request and then ends it again through the same
 * handle, while the bio's submitter, on the other thread, looks at its bio once. Every other
 * strategy refuses the second end (OwnershipMatrixTest).
 */
public final class SequentialDoubleEndTest {
    private SequentialDoubleEndTest() {
    }

    /**
     * OFF (C): nothing checks the second end. r1: the second end (the first is always ENDED, else
     * {@code FIRST_<outcome>}); r2: what the submitter saw when it looked ({@code NOT_YET}, or
     * {@code SEEN_<completions>_<status>}); r3: the bio at the end; r4: the tag ({@link StrategyRace#tag}).
     */
    @JCStressTest
    @Description("OFF: the driver ends a request twice in a row; nothing checks, the bio completes twice")
    @Outcome(id = "ENDED, .*, COMPLETED_2_TIMES, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted: the second end went through and completed the bio again (with IOERR), after its"
                    + " submitter may already have seen it complete OK (r2); C: end_io twice, a double free")
    @Outcome(id = "(ALREADY_ENDED|STALE|SHARED|RELEASED|FIRST_.*), .*", expect = FORBIDDEN,
            desc = "mode OFF refused an end: it checks nothing")
    @Outcome(id = ".*, .*, (NOT_COMPLETED|OK|IOERR), .*", expect = FORBIDDEN,
            desc = "two ends went through, but the bio did not complete twice: a completion was lost")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN, desc = "the tag was never given back")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class Off {
        private static final SafeRig RIG = SafeRig.create(Ownership.OFF, "seqend-off");

        private final Probe p = RIG.issue();
        private final long gen = StrategyRace.generation(p.ref);

        @Actor
        public void driver(LLLL_Result r) {
            String first = StrategyRace.end(p.ref, BlkStatus.OK);
            r.r1 = first.equals("ENDED") ? StrategyRace.end(p.ref, BlkStatus.IOERR) : "FIRST_" + first;
            StrategyRace.repairDoublePut(p.ref);
        }

        @Actor
        public void submitter(LLLL_Result r) {
            int n = p.completions();
            r.r2 = n == 0 ? "NOT_YET" : "SEEN_" + n + "_" + p.status;
        }

        @Arbiter
        public void check(LLLL_Result r) {
            r.r3 = p.completionSummary();
            r.r4 = StrategyRace.tag(p.ref, gen);
        }
    }
}
