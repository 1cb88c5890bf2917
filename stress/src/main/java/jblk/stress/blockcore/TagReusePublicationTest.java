package jblk.stress.blockcore;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkMqOps;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.HwQueue;
import jblk.blockcore.ReqOp;
import jblk.blockcore.Request;
import jblk.blockcore.SwQueue;
import jblk.blockcore.spi.QueueInternals;
import jblk.stress.Await;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

/**
 * Tag free vs allocate on a disk with a single tag: two submitters take turns on the one request.
 * Each submits a bio of its own shape; the driver checks the request's fields on the submitting
 * thread, hands it to the softirq context, checks them again there (a driver thread other than
 * the submitter must see every field the submitter wrote), reports a partial transfer and ends it
 * with an error, which frees the tag on the softirq thread for the other submitter. The bio's
 * callback checks the partial byte count. Nothing the previous user of the tag wrote may show
 * through. r1, r2: each submitter's verdict (OK, or the first field found wrong and where).
 */
@JCStressTest
@Description("tag free vs allocate publishes the request's fields: the driver's threads see exactly what the "
        + "submitter wrote")
@Outcome(id = "OK, OK", expect = ACCEPTABLE, desc = "every field as the submitter wrote it, on both threads")
@Outcome(expect = FORBIDDEN, desc = "a field of the tag's previous use showed through, or a completion was lost")
@State
public class TagReusePublicationTest {
    /** One submitter's bio and what the driver must find in its request. */
    static final class Sample {
        final Bio bio;
        final ReqOp op;
        final long sector;
        final int size;
        final int partial;
        SwQueue ctx;
        String verdict;
        volatile boolean done;

        Sample(ReqOp op, long sector, int size, int partial, ByteBuffer buf) {
            this.op = op;
            this.sector = sector;
            this.size = size;
            this.partial = partial;
            this.bio = new Bio().set(op, sector, size, buf, 0, 0, Sample::endIo).privateData(this);
        }

        /** The first field of {@code rq} that is not this bio's, or null. */
        String wrongField(Request rq) {
            if (rq.bio() != bio) {
                return "bio";
            }
            if (rq.op() != op) {
                return "op";
            }
            if (rq.sector() != sector) {
                return "sector";
            }
            if (rq.bytes() != size) {
                return "bytes";
            }
            if (rq.ctx() != ctx) {
                return "ctx";
            }
            return QueueInternals.initLeftover(rq); // next, bytesDone: reset by blk_mq_rq_ctx_init
        }

        void fail(String what) {
            if (verdict == null) {
                verdict = what;
            }
        }

        static void endIo(Bio bio) {
            Sample s = (Sample) bio.privateData();
            if (bio.status() != BlkStatus.IOERR) {
                s.fail("CALLBACK_STATUS_" + bio.status());
            } else if (bio.bytesDone() != s.partial) {
                s.fail("CALLBACK_BYTES_DONE_" + bio.bytesDone());
            }
            s.done = true;
        }

        String run() {
            ctx = RIG.ctx();
            ctx.submitBio(bio);
            if (!Await.until(() -> done)) {
                return "NOT_COMPLETED";
            }
            return verdict == null ? "OK" : verdict;
        }
    }

    /** Checks fields on the submitting thread, then completes through the softirq context. */
    static final class Ops implements BlkMqOps {
        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            Sample s = (Sample) rq.bio().privateData();
            String wrong = s.wrongField(rq);
            if (wrong != null) {
                s.fail("SUBMITTER_SAW_" + wrong);
            }
            BlkMq.startRequest(rq);
            BlkMq.completeRequest(rq);
            return BlkStatus.OK;
        }

        @Override
        public void complete(Request rq) {
            Sample s = (Sample) rq.bio().privateData();
            String wrong = s.wrongField(rq);
            if (wrong != null) {
                s.fail("DRIVER_THREAD_SAW_" + wrong);
            }
            rq.setBytesDone(s.partial);
            BlkMq.endRequest(rq, BlkStatus.IOERR);
        }
    }

    static final RawRig RIG = new RawRig("tagpub", new Ops(), 1);
    private static final ByteBuffer BUF1 = ByteBuffer.allocate(4096);
    private static final ByteBuffer BUF2 = ByteBuffer.allocate(4096);

    private final Sample s1 = new Sample(ReqOp.READ, 8, 1024, 512, BUF1);
    private final Sample s2 = new Sample(ReqOp.WRITE, 64, 2048, 1536, BUF2);

    @Actor
    public void submitter1(LL_Result r) {
        r.r1 = s1.run();
    }

    @Actor
    public void submitter2(LL_Result r) {
        r.r2 = s2.run();
    }
}
