package jblk.stress.safety;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;
import jblk.safety.Ownership;
import jblk.stress.Await;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * A READ completes through the softirq context: the completer (actor 1, the driver's thread) fills
 * the data buffer and stores the status in the PDU, then calls {@code complete()}; the softirq
 * thread runs the driver's complete callback, which ends the request with that status, and the
 * bio's callback runs there. The callback must see the data and the status (r1); the submitter
 * (actor 2), waiting for the callback's signal, must see them too (r2).
 */
@JCStressTest
@Description("completion status and data written by the completer are visible in the bio's callback (softirq thread)")
@Outcome(id = "NOSPC+DATA, NOSPC+DATA", expect = ACCEPTABLE,
        desc = "the callback and the waiting submitter see the completer's status and data")
@Outcome(id = "TIMED_OUT.*|.*, TIMED_OUT", expect = FORBIDDEN, desc = "the callback never ran")
@Outcome(expect = FORBIDDEN, desc = "a stale status or stale data reached the callback or the submitter")
@State
public class CompletionVisibilityTest {
    private static final SafeRig RIG = SafeRig.create(Ownership.CHECKED, "complvis");
    private static final long STAMP = 0x5EED_CAFE_F00D_0001L;

    private final ByteBuffer buf = ByteBuffer.allocate(512);
    private String seenByCallback;
    private volatile boolean done;
    private final Probe p;

    public CompletionVisibilityTest() {
        Bio bio = new Bio().set(ReqOp.READ, 0, 512, buf, 0, 0, this::endIo);
        p = new Probe(bio);
        RIG.submit(p);
    }

    private void endIo(Bio bio) {
        if (bio.status() == BlkStatus.AGAIN) {
            return; // a full rig lane; the rig tries the next one
        }
        seenByCallback = view(bio);
        done = true;
    }

    private String view(Bio bio) {
        boolean data = buf.getLong(0) == STAMP && buf.getLong(504) == STAMP;
        return bio.status() + (data ? "+DATA" : "+NO_DATA");
    }

    @Actor
    public void completer(LL_Result r) {
        buf.putLong(0, STAMP);
        buf.putLong(504, STAMP);
        p.ref.data().status = BlkStatus.NOSPC;
        p.ref.complete();
    }

    @Actor
    public void submitter(LL_Result r) {
        if (!Await.until(() -> done)) {
            r.r1 = "TIMED_OUT";
            r.r2 = "TIMED_OUT";
            return;
        }
        r.r1 = seenByCallback;
        r.r2 = view(p.bio);
    }
}
