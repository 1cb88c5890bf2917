package jblk.stress.safety;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;
import jblk.blockcore.SwQueue;
import jblk.blockcore.spi.QueueInternals;
import jblk.safety.EndOutcome;
import jblk.safety.GenDiskBuilder;
import jblk.safety.Ownership;
import jblk.safety.TagSet;
import jblk.safety.race.RaceAccess;

/**
 * Real safe-driver disks for one test class, built once per fork and shared by every jcstress
 * sample: building a disk starts threads, far too slow per sample, while submitting a bio to one
 * costs a few hundred nanoseconds. Each thread submits through its own software queue.
 *
 * <p>jcstress keeps every sample of an epoch alive at once (up to strideSize x strideCount, 10240
 * in the standard modes), and each holds a request or two, so the rig adds disks ("lanes") of
 * {@link #LANE_DEPTH} tags as they fill up: a sanity run builds one small disk, a long run a few.
 * The request timeout is an hour, so the timeout scanner never expires a sample's request by
 * itself; the timeout race is driven through {@link #expire}.
 */
public final class SafeRig {
    static final int LANE_DEPTH = 1024;

    /** One disk of the rig, on a tag set of its own. */
    static final class Lane {
        final TagSet<Cmd, Void> set;
        final GenDisk disk;
        final ThreadLocal<SwQueue> ctx;

        Lane(Ownership mode, String name) {
            // no scheduler (BLK_MQ_F_NO_SCHED_BY_DEFAULT): the rig's submit must reach the capture
            // driver on the submitting thread; mq-deadline would let the other lane's thread dispatch it
            this.set = TagSet.builder(new CaptureOps()).noSchedByDefault(true).nrHwQueues(1).queueDepth(LANE_DEPTH)
                    .ownership(mode).timeout(Duration.ofHours(1)).build();
            this.disk = new GenDiskBuilder().capacitySectors(1L << 30).iostats(false).build(name, set);
            this.ctx = ThreadLocal.withInitial(disk::openQueue);
        }
    }

    private final Ownership mode;
    private final String name;
    private final CopyOnWriteArrayList<Lane> lanes = new CopyOnWriteArrayList<>();
    /** The lane each thread last got a tag from: where it tries first. */
    private final ThreadLocal<int[]> lastLane = ThreadLocal.withInitial(() -> new int[1]);
    /** Refusals the actors saw, to compare with the disks' violation counters. */
    final AtomicLong refusalsSeen = new AtomicLong();
    private final AtomicLong sectors = new AtomicLong();

    private SafeRig(Ownership mode, String name) {
        this.mode = mode;
        this.name = name;
        lanes.add(new Lane(mode, name + "-0"));
    }

    /**
     * A rig of its own for one test class (hold it in a static field): its violation counters
     * then count only that test's refusals, even when jcstress runs several tests in one VM.
     */
    static SafeRig create(Ownership mode, String name) {
        return new SafeRig(mode, name);
    }

    private Lane lane(int i) {
        if (i < lanes.size()) {
            return lanes.get(i);
        }
        synchronized (lanes) {
            while (lanes.size() <= i) {
                lanes.add(new Lane(mode, name + "-" + lanes.size()));
            }
            return lanes.get(i);
        }
    }

    /** Submits a fresh one-sector READ from this thread; returns its probe with the driver's handle. */
    Probe issue() {
        Probe p = new Probe(sectors.getAndIncrement() & ((1L << 30) - 1));
        submit(p);
        return p;
    }

    /** A request ended through {@code old}, and the next one issued on the same tag, {@code next}. */
    record TagReuse(Probe old, Probe next) {
    }

    /**
     * Ends one request and issues the next on the same tag, so {@code old} is a stale handle of
     * the tag's new request. This thread's allocation hint points at the tag it just freed, so a
     * retry is needed only when another thread took it.
     */
    TagReuse reuseTag() {
        for (int attempt = 0; ; attempt++) {
            Probe a = issue();
            Lane lane = a.lane;
            int tag = a.ref.tag();
            a.ref.endOrThrow(BlkStatus.OK);
            Probe b = issue();
            if (b.lane == lane && b.ref.tag() == tag) {
                return new TagReuse(a, b);
            }
            b.ref.endOrThrow(BlkStatus.OK);
            if (attempt == 1000) {
                throw new IllegalStateException("could not get the same tag back in 1000 attempts");
            }
        }
    }

    /**
     * Submits {@code p}'s bio without waiting for a tag; the capture driver runs on this thread and
     * stores the handle. A full lane completes the bio with AGAIN: that outcome is wiped and the
     * next lane tried (a new one is built when all are full).
     */
    void submit(Probe p) {
        p.bio.flags(p.bio.flags() | ReqFlags.NOWAIT);
        int[] last = lastLane.get();
        int n = lanes.size();
        for (int k = 0; k < n; k++) {
            int i = (last[0] + k) % n;
            if (tryLane(p, i)) {
                last[0] = i;
                return;
            }
        }
        for (int i = n; ; i++) {
            if (tryLane(p, i)) {
                last[0] = i;
                return;
            }
            if (i > n + 1000) {
                throw new IllegalStateException("no free tag in " + lanes.size() + " lanes");
            }
        }
    }

    private boolean tryLane(Probe p, int i) {
        Lane l = lane(i);
        p.lane = l;
        l.ctx.get().submitBio(p.bio);
        if (p.ref != null) {
            return true;
        }
        if (p.bio.status() != BlkStatus.AGAIN) {
            throw new IllegalStateException("the capture driver did not receive " + p.bio + ": " + p.bio.status());
        }
        p.resetAfterAgain();
        return false;
    }

    /** The ownership violations counted on all of the rig's disks. */
    long violationsTotal() {
        long n = 0;
        for (Lane l : lanes) {
            n += l.set.violations(l.disk).total();
        }
        return n;
    }

    /** Counts a refusal an actor saw (for the count-matches-refusals check). */
    EndOutcome seen(EndOutcome o) {
        if (o.refused()) {
            refusalsSeen.incrementAndGet();
        }
        return o;
    }

    /**
     * "COUNTED" when the disks counted exactly the refusals the actors saw. Meaningful in an
     * arbiter: jcstress runs arbiters after every actor of the epoch finished, so both sides are
     * stable (the tests that use it make no refusable call in their arbiters).
     */
    String countCheck() {
        long counted = violationsTotal();
        long seen = refusalsSeen.get();
        return counted == seen ? "COUNTED" : "MISCOUNT(" + counted + "!=" + seen + ")";
    }

    /** What the timeout scanner's expiry did with a request: see {@link #expire}. */
    static final String NOT_EXPIRED = "NOT_EXPIRED";
    static final String HANDLER_SKIPPED = "HANDLER_SKIPPED";

    /**
     * Runs blockcore's TimeoutScanner step for the probe's request as if its deadline had passed
     * (QueueInternals.expireNow: the real code, not a copy): mark it TIMED_OUT with a CAS if it is still
     * in flight, then the tag set's timeout callback (the binding's vtable, which hands the driver a
     * borrowed handle). Returns NOT_EXPIRED when the CAS found the request no longer in flight,
     * HANDLER_SKIPPED when the vtable saw a completion win before the driver's handler ran, else
     * the outcome of the handler's end.
     */
    String expire(Probe p) {
        Request rq = RaceAccess.requestOf(p.ref);
        if (!QueueInternals.expireNow(rq)) {
            return NOT_EXPIRED;
        }
        EndOutcome o = p.timeoutEnd;
        if (o == null) {
            return HANDLER_SKIPPED;
        }
        seen(o);
        return o.name();
    }
}
