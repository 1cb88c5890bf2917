package jblk.stress.blockcore;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import jblk.stress.Await;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * A submitter dispatches while another thread quiesces the queue ({@code blk_mq_quiesce_queue}).
 * From the moment quiesce returns until unquiesce, no queueRq may run or be running; the bio is
 * either issued directly before that or held and issued after unquiesce (by kblockd), completing
 * once either way. r1: how the bio was issued; r2: queueRq activity while quiesced; r3: completions.
 */
@JCStressTest
@Description("quiesce vs dispatch: no queueRq runs after quiesce returns; a held bio is issued after unquiesce")
@Outcome(id = "DIRECT, NONE, 1", expect = ACCEPTABLE, desc = "issued before the quiesce took effect")
@Outcome(id = "HELD, NONE, 1", expect = ACCEPTABLE, desc = "held while quiesced, issued after unquiesce")
@Outcome(id = ".*, QUEUE_RQ_.*, .*", expect = FORBIDDEN, desc = "queueRq ran (or was running) after quiesce returned")
@Outcome(expect = FORBIDDEN, desc = "the bio was lost or completed twice")
@State
public class QuiesceVsDispatchTest {
    private static final InlineOps OPS = new InlineOps();
    private static final RawRig RIG = new RawRig("quiesce", OPS, 64);
    private static final ByteBuffer BUF = ByteBuffer.allocate(512);

    private final InlineOps.Issued s = new InlineOps.Issued(BUF);

    @Actor
    public void submitter(LLL_Result r) {
        RIG.ctx().submitBio(s.bio);
        r.r1 = s.issued ? "DIRECT" : "HELD";
    }

    @Actor
    public void quiescer(LLL_Result r) {
        RIG.disk.quiesce();
        r.r2 = OPS.windowActivity();
        RIG.disk.unquiesce();
    }

    @Arbiter
    public void check(LLL_Result r) {
        Await.until(() -> s.completions.get() > 0);
        r.r3 = s.completions.get();
    }
}
