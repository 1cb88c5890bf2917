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
import org.openjdk.jcstress.infra.results.LLI_Result;

/**
 * The same double end as {@link CheckedEndEndTest} in mode OFF, where the handle is the per-tag
 * request itself and nothing is checked (C semantics): both ends go through and the bio completes
 * twice. That is the evidence that the token, not luck, prevents it in CHECKED. jcstress forks run
 * without -ea, so blockcore's assertion that would notice the second end stays silent, as a
 * kernel without debug options would.
 *
 * <p>Safe to run: only the put that takes {@code rq->ref} to zero frees the tag, so the second end
 * frees nothing; it leaves the count at -1, which each actor puts back to 0 after its end
 * ({@link StrategyRace#repairDoublePut}), while no thread allocates a tag (jcstress allocates only
 * between epochs), so a tag iterator cannot free the tag's next use, another sample's request.
 */
@JCStressTest
@Description("OFF: two threads end the same request; both succeed and the bio completes twice (nothing checks)")
@Outcome(id = "ENDED, ENDED, 2", expect = ACCEPTABLE_INTERESTING,
        desc = "double end went through: C semantics, the check is off")
@Outcome(expect = FORBIDDEN, desc = "mode OFF refused an end, or a completion was lost")
@State
public class OffDoubleEndTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.OFF, "offend");

    private final Probe p = RIG.issue();

    @Actor
    public void end1(LLI_Result r) {
        r.r1 = p.ref.end(BlkStatus.OK);
        StrategyRace.repairDoublePut(p.ref);
    }

    @Actor
    public void end2(LLI_Result r) {
        r.r2 = p.ref.end(BlkStatus.IOERR);
        StrategyRace.repairDoublePut(p.ref);
    }

    @Arbiter
    public void check(LLI_Result r) {
        r.r3 = p.completions();
    }
}
