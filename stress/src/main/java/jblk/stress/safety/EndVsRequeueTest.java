package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.spi.QueueInternals;
import jblk.safety.EndOutcome;
import jblk.safety.Ownership;
import jblk.safety.RequestRef;
import jblk.stress.Await;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * One thread ends a request while another requeues it through the same handle
 * ({@code blk_mq_requeue_request}). Exactly one wins. When the requeue wins, the arbiter runs the
 * requeue work, waits for the request to be issued again (a new handle, a new generation), checks
 * the old handle is now refused as STALE (the requeue gave the request a new generation, so the
 * losing end is usually refused as STALE too), and ends the new one. r1: the end; r2: the requeue;
 * r3: after the requeue (the old handle's end, or "-"); r4: the bio's completion.
 */
@JCStressTest
@Description("CHECKED: end vs requeue through one handle; exactly one wins, a requeued request is issued again "
        + "and completes once")
@Outcome(id = "ENDED, ALREADY_ENDED, -, IOERR", expect = ACCEPTABLE, desc = "the end won; the requeue was refused")
@Outcome(id = "STALE, ENDED, STALE, OK", expect = ACCEPTABLE,
        desc = "the requeue won (a new generation: the end through the old handle is stale); issued again")
@Outcome(id = "ENDED, ENDED, .*", expect = FORBIDDEN, desc = "both the end and the requeue went through")
@Outcome(id = ".*, LOST", expect = FORBIDDEN, desc = "the requeued request was never issued again")
@Outcome(id = ".*, COMPLETED_.*", expect = FORBIDDEN, desc = "the bio completed more than once")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class EndVsRequeueTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "endrq");

    private final Probe p = RIG.issue();
    private final RequestRef<Cmd> first = p.ref;

    @Actor
    public void end(LLLL_Result r) {
        r.r1 = RIG.seen(first.end(BlkStatus.IOERR));
    }

    @Actor
    public void requeue(LLLL_Result r) {
        r.r2 = RIG.seen(first.requeue(false));
    }

    @Arbiter
    public void check(LLLL_Result r) {
        if (r.r2 == EndOutcome.ENDED) {
            // Another thread's requeue work may have taken ours: run it until the second issue.
            Await.until(() -> {
                QueueInternals.requeueWork(p.lane.disk);
                return p.issues.get() >= 2;
            });
            if (p.issues.get() < 2) {
                r.r3 = "-";
                r.r4 = "LOST";
                return;
            }
            r.r3 = RIG.seen(first.end(BlkStatus.IOERR));
            RIG.seen(p.ref.end(BlkStatus.OK));
        } else {
            r.r3 = "-";
        }
        r.r4 = p.completionSummary();
    }
}
