package jblk.stress.blockcore;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import jblk.blockcore.spi.QueueInternals;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * A submitter submits while another thread freezes the queue ({@code blk_mq_freeze_queue}). When
 * freeze returns, no request of the disk holds a tag and none is dispatched until unfreeze: the
 * submitter either finished before or waits. r1: the bio as the submitter saw it on return; r2:
 * the disk while frozen (initialised requests, queueRq activity); r3: completions; r4: raw tag
 * bits set while frozen.
 *
 * <p>blockcore's submitter takes a tag before it looks at the freeze depth (one CAS, then one
 * volatile read) and gives it back when it finds the queue frozen, so a tag bit can be set for a
 * moment while frozen without any request being initialised or dispatched (the kernel checks
 * {@code q_usage_counter} first). r4 shows it; it is interesting, not a failure.
 */
@JCStressTest
@Description("freeze vs submit: frozen means drained (no tag held) and no dispatch until unfreeze")
@Outcome(id = "COMPLETED, DRAINED_NONE, 1, NO_TAG_BITS", expect = ACCEPTABLE,
        desc = "the bio went before or after the frozen window")
@Outcome(id = "COMPLETED, DRAINED_NONE, 1, TRANSIENT_TAG_BIT", expect = ACCEPTABLE_INTERESTING,
        desc = "a submitter held a tag bit for a moment while frozen, and gave it back without initialising a request")
@Outcome(id = ".*, ALLOCATED_.*", expect = FORBIDDEN, desc = "freeze returned while a request was still allocated")
@Outcome(id = ".*, DRAINED_QUEUE_RQ_.*", expect = FORBIDDEN, desc = "queueRq ran while frozen")
@Outcome(expect = FORBIDDEN, desc = "the bio was lost or completed twice")
@State
public class FreezeVsSubmitTest {
    private static final InlineOps OPS = new InlineOps();
    private static final RawRig RIG = new RawRig("freeze", OPS, 64);
    private static final ByteBuffer BUF = ByteBuffer.allocate(512);

    private final InlineOps.Issued s = new InlineOps.Issued(BUF);

    @Actor
    public void submitter(LLLL_Result r) {
        RIG.ctx().submitBio(s.bio);
        r.r1 = s.completions.get() == 1 ? "COMPLETED" : "NOT_COMPLETED_ON_RETURN";
    }

    @Actor
    public void freezer(LLLL_Result r) {
        RIG.disk.freeze();
        int allocated = QueueInternals.requestsAllocated(RIG.disk);
        int bits = QueueInternals.requestsHeld(RIG.disk);
        String activity = OPS.windowActivity();
        RIG.disk.unfreeze();
        r.r2 = allocated == 0 ? "DRAINED_" + activity : "ALLOCATED_" + allocated;
        r.r4 = bits == 0 ? "NO_TAG_BITS" : "TRANSIENT_TAG_BIT";
    }

    @Arbiter
    public void check(LLLL_Result r) {
        r.r3 = s.completions.get();
    }
}
