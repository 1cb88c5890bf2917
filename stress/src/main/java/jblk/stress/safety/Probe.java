package jblk.stress.safety;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import jblk.blockcore.Bio;
import jblk.blockcore.BioEndIo;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqOp;
import jblk.safety.EndOutcome;
import jblk.safety.RequestRef;

/**
 * One jcstress sample's I/O: the bio it submits (its {@code bi_private} points back here), the
 * handle the {@link CaptureOps driver} was given for it, and what the bio's callback saw.
 */
public final class Probe {
    /** Shared read buffer: the capture driver never moves data. */
    private static final ByteBuffer SCRATCH = ByteBuffer.allocate(512);

    /** Records the completion: counted atomically, so a double completion (mode OFF) is never lost. */
    static final BioEndIo END_IO = bio -> {
        Probe p = (Probe) bio.privateData();
        p.status = bio.status();
        p.completions.incrementAndGet();
    };

    final Bio bio;
    /** The handle of the latest issue (a requeued request is issued again with a new one). */
    volatile RequestRef<Cmd> ref;
    /** How many times queueRq saw this bio's request. */
    final AtomicInteger issues = new AtomicInteger();
    final AtomicInteger completions = new AtomicInteger();
    volatile BlkStatus status;
    /** What the driver's timeout handler got from ending through its borrowed handle, if it ran. */
    volatile EndOutcome timeoutEnd;
    /** The rig disk the request went to. */
    SafeRig.Lane lane;
    /** What the driver's complete callback got from ending, if it ran. */
    volatile EndOutcome completeEnd;

    Probe(long sector) {
        this.bio = new Bio().set(ReqOp.READ, sector, 512, SCRATCH, 0, 0, END_IO).privateData(this);
    }

    Probe(Bio bio) {
        this.bio = bio.privateData(this);
    }

    /** Forgets a completion with AGAIN (no free tag on a lane), before the bio is tried on another. */
    void resetAfterAgain() {
        completions.set(0);
        status = null;
    }

    int completions() {
        return completions.get();
    }

    /** The bio's status when it completed exactly once, else NOT_COMPLETED or COMPLETED_n_TIMES. */
    String completionSummary() {
        int n = completions.get();
        return n == 1 ? String.valueOf(status) : n == 0 ? "NOT_COMPLETED" : "COMPLETED_" + n + "_TIMES";
    }
}
