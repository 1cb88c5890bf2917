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

/**
 * The double end of {@link CheckedEndEndTest} in DEBUG mode, where each refusal is also reported
 * (logged with where the request was issued and first ended). The refusal must be reported exactly
 * once and counted exactly once. r1, r2: the ends; r3: the reports about this handle; r4: counters
 * vs refusals seen.
 *
 * <p>The winner records where it ended the request just after its CAS, so a loser that is refused
 * in between reports without the "first ended" trace: a gap in the diagnostics (marked
 * interesting), not in the safety.
 */
@JCStressTest
@Description("DEBUG: refusals under race are reported once and counted once")
@Outcome(id = "ENDED, ALREADY_ENDED, REPORTED_ONCE, COUNTED", expect = ACCEPTABLE,
        desc = "actor 2 refused; one report naming the first end")
@Outcome(id = "ALREADY_ENDED, ENDED, REPORTED_ONCE, COUNTED", expect = ACCEPTABLE,
        desc = "actor 1 refused; one report naming the first end")
@Outcome(id = "(ENDED, ALREADY_ENDED|ALREADY_ENDED, ENDED), REPORTED_ONCE_WITHOUT_FIRST_END, COUNTED",
        expect = ACCEPTABLE_INTERESTING,
        desc = "refused between the winner's CAS and its record of where it ended: reported once,"
                + " without the first-end trace")
@Outcome(id = ".*, NOT_REPORTED, .*", expect = FORBIDDEN, desc = "a refusal was not reported")
@Outcome(id = ".*, REPORTED_[0-9]+_TIMES, .*", expect = FORBIDDEN, desc = "a refusal was reported more than once")
@Outcome(id = ".*, MISCOUNT.*", expect = FORBIDDEN, desc = "violation counters do not match the refusals")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "double end")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class DebugRefusalTest {
    private static final SafeRig RIG;

    static {
        RefusalLog.install();
        RIG = SafeRig.create(Ownership.DEBUG, "debugend");
    }

    private final Probe p = RIG.issue();
    private final String handle = p.ref.toString();

    @Actor
    public void end1(LLLL_Result r) {
        r.r1 = RIG.seen(p.ref.end(BlkStatus.OK));
    }

    @Actor
    public void end2(LLLL_Result r) {
        r.r2 = RIG.seen(p.ref.end(BlkStatus.IOERR));
    }

    @Arbiter
    public void check(LLLL_Result r) {
        RefusalLog.Count c = RefusalLog.take(handle);
        if (c.reports == 0) {
            r.r3 = "NOT_REPORTED";
        } else if (c.reports > 1) {
            r.r3 = "REPORTED_" + c.reports + "_TIMES";
        } else {
            r.r3 = c.withFirstEnd == 1 ? "REPORTED_ONCE" : "REPORTED_ONCE_WITHOUT_FIRST_END";
        }
        r.r4 = RIG.countCheck();
    }
}
