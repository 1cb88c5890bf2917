package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.stress.Await;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLLL_Result;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * The driver hands a request to the completion context ({@code complete()}) while another of its
 * threads ends it through the same owner handle. Exactly one end must win and the bio complete
 * once. r1: complete(); r2: the other thread's end; r3: the bio; r4: what the complete callback's
 * end got ("-" when the callback never ran).
 *
 * <p>complete() gives the owner handle away (Rust moves the ARef into it): the callback gets a
 * handle of its own, and the driver's old one is refused from then on. So once complete() won, the
 * late end must be refused; an ENDED late end after complete() is the violation this guards.
 *
 * <p>The nested tests are issue 11's matrix row "use after complete" under the strategies whose
 * complete() does not give the handle away: {@link Off} and {@link Refcount}.
 */
@JCStressTest
@Description("CHECKED: complete() vs an end through the same handle on another thread; exactly one end wins")
@Outcome(id = "ENDED, ALREADY_ENDED, OK, ENDED", expect = ACCEPTABLE,
        desc = "handed to the completion context first; the late end was refused")
@Outcome(id = "ENDED, STALE, OK, ENDED", expect = ACCEPTABLE,
        desc = "completed and the tag reused before the late end: refused as stale")
@Outcome(id = "ALREADY_ENDED, ENDED, IOERR, -", expect = ACCEPTABLE,
        desc = "the end came first; complete() was refused")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN,
        desc = "use after complete(): the given-away handle ended the request")
@Outcome(id = ".*, COMPLETED_.*, .*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(id = ".*, NOT_COMPLETED, .*", expect = FORBIDDEN, desc = "the request was lost")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class CompleteVsLateEndTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "complend");

    private final Probe p = RIG.issue();

    @Actor
    public void complete(LLLL_Result r) {
        p.ref.data().status = BlkStatus.OK;
        r.r1 = p.ref.complete();
    }

    @Actor
    public void lateEnd(LLLL_Result r) {
        r.r2 = p.ref.end(BlkStatus.IOERR);
    }

    @Arbiter
    public void check(LLLL_Result r) {
        if (r.r1 == EndOutcome.ENDED) {
            Await.until(() -> p.completeEnd != null);
        }
        EndOutcome c = p.completeEnd;
        r.r4 = c == null ? "-" : c.name();
        r.r3 = p.completionSummary();
    }

    /**
     * One sample of the nested tests. Their complete() is unchecked (it may even run after the late
     * end freed the tag), so the complete actor waits for its callback: no end of this sample may
     * run after the actors, when jcstress reuses the tag for the next samples. r1: complete(); r2:
     * the late end; r3: the bio; r4: the complete callback's end; r5: the tag ({@link StrategyRace#tag}).
     */
    static final class UseAfterComplete {
        private final Probe p;
        private final long gen;

        UseAfterComplete(SafeRig rig) {
            p = rig.issue();
            gen = StrategyRace.generation(p.ref);
        }

        void complete(LLLLL_Result r) {
            p.ref.data().status = BlkStatus.OK;
            EndOutcome o = p.ref.complete();
            if (o == EndOutcome.ENDED) {
                Await.until(() -> p.completeEnd != null); // the callback's end is done
            }
            r.r1 = o;
            StrategyRace.repairDoublePut(p.ref);
        }

        void lateEnd(LLLLL_Result r) {
            r.r2 = StrategyRace.end(p.ref, BlkStatus.IOERR);
            StrategyRace.repairDoublePut(p.ref);
        }

        void check(LLLLL_Result r) {
            EndOutcome c = p.completeEnd;
            r.r3 = p.completionSummary();
            r.r4 = c == null ? "-" : c.name();
            r.r5 = StrategyRace.tag(p.ref, gen);
        }
    }

    /** OFF (C): the callback ends the request through the tag's one handle, and so does the late end. */
    @JCStressTest
    @Description("OFF: complete() vs an end through the same handle; the callback and the late end both end it")
    @Outcome(id = "ENDED, ENDED, COMPLETED_2_TIMES, ENDED, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted: the late end and the complete callback's end both went through: the bio completed"
                    + " twice")
    @Outcome(id = "ENDED, ENDED, (NOT_COMPLETED|OK|IOERR), ENDED, .*", expect = FORBIDDEN,
            desc = "two ends went through, but the bio did not complete twice: a completion was lost")
    @Outcome(id = ".*, -, .*", expect = FORBIDDEN, desc = "the complete callback never ran")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN, desc = "the tag was never given back")
    @Outcome(expect = FORBIDDEN, desc = "anything else: mode OFF refused something")
    @State
    public static class Off {
        private static final SafeRig RIG = SafeRig.create(Ownership.OFF, "complend-off");

        private final UseAfterComplete s = new UseAfterComplete(RIG);

        @Actor
        public void complete(LLLLL_Result r) {
            s.complete(r);
        }

        @Actor
        public void lateEnd(LLLLL_Result r) {
            s.lateEnd(r);
        }

        @Arbiter
        public void check(LLLLL_Result r) {
            s.check(r);
        }
    }

    /**
     * REFCOUNT (Rust mainline): complete() is {@code ARef::into_raw}, unchecked, and the callback gets
     * the same per-tag handle back; the callback's end and the late end compete for the CAS 2 -> 0.
     */
    @JCStressTest
    @Description("REFCOUNT: complete() vs an end through the same handle; one end wins, and it may be the late one")
    @Outcome(id = "ENDED, ALREADY_ENDED, OK, ENDED, FREED", expect = ACCEPTABLE,
            desc = "the complete callback's end won; the late end was refused")
    @Outcome(id = "ENDED, ENDED, IOERR, ALREADY_ENDED, FREED", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted: the late end through the handle given to complete() won the CAS (or came first, and"
                    + " the unchecked complete() went ahead on an ended request); the callback was refused and the bio"
                    + " carries the late end's IOERR, not the completion's OK")
    @Outcome(id = "ENDED, ENDED, IOERR, ALREADY_ENDED, STALE_WORD", expect = ACCEPTABLE_INTERESTING,
            desc = "corrupted, as above, and complete() read the state word before the late end freed the tag and"
                    + " stored COMPLETE after: a free tag's word says allocated (C: a write to a freed request)")
    @Outcome(id = "ENDED, ENDED, .*, ENDED, .*", expect = FORBIDDEN,
            desc = "the late end and the callback both ended the request")
    @Outcome(id = ".*, .*, (NOT_COMPLETED|COMPLETED_.*), .*", expect = FORBIDDEN,
            desc = "the bio was lost or completed more than once")
    @Outcome(id = ".*, -, .*", expect = FORBIDDEN, desc = "the complete callback never ran")
    @Outcome(id = ".*, (HELD|PINNED)", expect = FORBIDDEN, desc = "the tag was never given back")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class Refcount {
        private static final SafeRig RIG = SafeRig.create(Ownership.REFCOUNT, "complend-rc");

        private final UseAfterComplete s = new UseAfterComplete(RIG);

        @Actor
        public void complete(LLLLL_Result r) {
            s.complete(r);
        }

        @Actor
        public void lateEnd(LLLLL_Result r) {
            s.lateEnd(r);
        }

        @Arbiter
        public void check(LLLLL_Result r) {
            s.check(r);
        }
    }
}
