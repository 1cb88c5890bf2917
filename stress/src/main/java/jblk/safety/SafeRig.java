package jblk.safety;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.GenDisk;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;
import jblk.blockcore.SwQueue;

/**
 * A real safe-driver disk, built once per test class and fork and shared by every sample: building a disk starts threads, far too slow per sample, while submitting a bio to it
 * costs a few hundred nanoseconds. Each thread gets its own software queue (a "CPU").
 *
 * <p>jcstress keeps every sample of an epoch alive at once (up to strideSize x strideCount, 10240
 * in the standard modes), each holding up to two requests, so the tag space is deep. The request
 * timeout is an hour: the timeout scanner never expires a sample's request by itself; the
 * timeout race is driven through {@link #expire}.
 */
public final class SafeRig {
    static final int DEPTH = 32768;

    final TagSet<Cmd, Void> set;
    final GenDisk disk;
    private final ThreadLocal<SwQueue> ctx;
    /** Refusals the actors saw, to compare with the disk's violation counters. */
    final AtomicLong refusalsSeen = new AtomicLong();
    private final AtomicLong sectors = new AtomicLong();

    private SafeRig(Ownership mode, String name) {
        this.set = TagSet.builder(new CaptureOps()).nrHwQueues(1).queueDepth(DEPTH).ownership(mode)
                .timeout(Duration.ofHours(1)).build();
        this.disk = new GenDiskBuilder().capacitySectors(1L << 30).iostats(false).build(name, set);
        this.ctx = ThreadLocal.withInitial(disk::openQueue);
    }

    /**
     * A rig of its own for one test class (hold it in a static field): its violation counters
     * then count only that test's refusals, even when jcstress runs several tests in one VM.
     */
    static SafeRig create(Ownership mode, String name) {
        return new SafeRig(mode, name);
    }

    /** Submits a fresh one-sector READ from this thread; returns its probe with the driver's handle. */
    Probe issue() {
        Probe p = new Probe(sectors.getAndIncrement() & ((1L << 30) - 1));
        submit(p);
        return p;
    }

    /** Submits {@code p}'s bio; the capture driver runs on this thread and stores the handle. */
    void submit(Probe p) {
        ctx.get().submitBio(p.bio);
        if (p.ref == null) {
            throw new IllegalStateException("the capture driver did not receive " + p.bio + " inline");
        }
    }

    Violations violations() {
        return set.violations(disk);
    }

    /** Counts a refusal an actor saw (for the count-matches-refusals check). */
    EndOutcome seen(EndOutcome o) {
        if (o.refused()) {
            refusalsSeen.incrementAndGet();
        }
        return o;
    }

    /**
     * "COUNTED" when the disk counted exactly the refusals the actors saw. Meaningful in an arbiter:
     * jcstress runs arbiters after every actor of the epoch finished, so both sides are stable.
     */
    String countCheck() {
        long counted = violations().total();
        long seen = refusalsSeen.get();
        return counted == seen ? "COUNTED" : "MISCOUNT(" + counted + "!=" + seen + ")";
    }

    /** What the timeout scanner's expiry did with a request: see {@link #expire}. */
    static final String NOT_EXPIRED = "NOT_EXPIRED";
    static final String HANDLER_SKIPPED = "HANDLER_SKIPPED";

    /**
     * The expiry step of blockcore's TimeoutScanner for one request whose deadline has passed:
     * mark it TIMED_OUT with a CAS if it is still in flight, then call the tag set's timeout
     * callback (the binding's vtable, which hands the driver a borrowed handle). Returns
     * NOT_EXPIRED when the CAS found the request no longer in flight, HANDLER_SKIPPED when the
     * vtable saw a completion win before the driver's handler ran, else the outcome of the
     * handler's end.
     */
    String expire(Probe p) {
        Request rq = p.ref.rq;
        long w = rq.word();
        if (RequestState.state(w) != RequestState.IN_FLIGHT || RequestState.timedOut(w)
                || !rq.casWord(w, w | RequestState.TIMED_OUT)) {
            return NOT_EXPIRED;
        }
        EhTimerReturn ret = set.vt.timeout(rq);
        EndOutcome o = p.timeoutEnd;
        if (o == null) {
            return ret == EhTimerReturn.DONE ? HANDLER_SKIPPED : "RESET_TIMER";
        }
        seen(o);
        return o.name();
    }

    /** Ends {@code p}'s current issue if nobody did (cleanup in arbiters); the outcome's name. */
    String endIfOpen(Probe p, BlkStatus st) {
        return seen(p.ref.end(st)).name();
    }
}
