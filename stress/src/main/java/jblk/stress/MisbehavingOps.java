package jblk.stress;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.nullblk.NullCmd;
import jblk.nullblk.NullQueue;
import jblk.safety.EndOutcome;
import jblk.safety.ForwardingOperations;
import jblk.safety.Operations;
import jblk.safety.Ownership;
import jblk.safety.RequestRef;

/**
 * A buggy driver around the safe null_blk driver, for the torture run: at set rates it ends a
 * request a second time, ends through a stale handle kept from an earlier request, hands requests
 * to a thread of its own that processes and ends them there (the wrong thread), and leaks requests
 * (never processes them; its timeout handler ends them when they expire).
 *
 * <p>Every injected violation is made where the binding must refuse it, and the wrapper records the
 * refusal it got back, so the run can check that each was refused (none ENDED) and that the
 * disk's violation counters match, kind by kind. Where the refusal would be a race the binding may
 * legitimately lose (a second end through the owner's handle after {@code complete()}, whose
 * object the completion callback reuses), nothing is injected.
 *
 * <p>Every bio still completes exactly once: a leaked request is ended by {@link #timeout}; a
 * request handed to the wrong thread is processed there, and its timer is reset while it waits.
 */
final class MisbehavingOps extends ForwardingOperations<NullCmd, NullQueue> {
    /** Per-request probabilities of each misbehaviour. */
    static final double LEAK = 0.004;
    static final double WRONG_THREAD = 0.02;
    static final double DOUBLE_END = 0.01;
    static final double BURY = 0.02;
    static final double STALE_END = 0.01;

    private final int irqmode;
    private final Random random;
    /** Whether the strategy refuses a second or stale end at all (REFCOUNT's pointer handle does not). */
    private final boolean injectEnds;
    /**
     * Whether a leaked handle must be dropped for the timeout to take the request: REFCOUNT and OWNED
     * cannot end a request through another reference while the driver's is live (the CAS 2 -> 0
     * fails, or an {@code Owned} is out), so a leak there is modeled as null_blk's fake timeout
     * does it: the reference is dropped, the request stays in flight.
     */
    private final boolean dropLeaked;

    private final ConcurrentHashMap<Long, RequestRef<NullCmd>> leaked = new ConcurrentHashMap<>();
    private final Set<Long> onWrongThread = ConcurrentHashMap.newKeySet();
    private final AtomicReferenceArray<RequestRef<NullCmd>> graveyard = new AtomicReferenceArray<>(32);
    private final LinkedBlockingQueue<Runnable> wrongThreadWork = new LinkedBlockingQueue<>();
    private final Thread wrongThread;
    private volatile boolean stopped;

    final AtomicLong leaks = new AtomicLong();
    final AtomicLong leaksEnded = new AtomicLong();
    final AtomicLong wrongThreadIos = new AtomicLong();
    final AtomicLong doubleEnds = new AtomicLong();
    final AtomicLong staleEnds = new AtomicLong();
    final AtomicLong resetTimers = new AtomicLong();
    /** Injected violations by the refusal they got (EndOutcome ordinal); ENDED means not refused. */
    final AtomicLongArray outcomes = new AtomicLongArray(EndOutcome.values().length);
    /** The wrapper's own legitimate operations that were refused (must stay 0). */
    final AtomicLong ownRefused = new AtomicLong();

    MisbehavingOps(Operations<NullCmd, NullQueue> inner, int irqmode, long seed, String name, Ownership mode) {
        super(inner);
        this.irqmode = irqmode;
        // REFCOUNT's handle is a pointer shared by every issue of a tag: a late end may hit the
        // tag's next request (docs/OWNERSHIP.md), so nothing is injected that it cannot refuse.
        this.injectEnds = mode != Ownership.REFCOUNT;
        this.dropLeaked = mode == Ownership.REFCOUNT || mode == Ownership.OWNED;
        this.random = new Random(seed);
        this.wrongThread = new Thread(this::wrongThreadLoop, "torture-" + name + "-wrong-thread");
        this.wrongThread.setDaemon(true);
        this.wrongThread.start();
    }

    private double roll() {
        return random.nextDouble();
    }

    private static long key(RequestRef<?> rq) {
        return rq.generation() << 24 | (long) rq.hwQueueIndex() << 16 | rq.tag();
    }

    @Override
    public BlkStatus queueRq(NullQueue hw, RequestRef<NullCmd> rq, boolean isLast) {
        maybeStaleEnd();
        double r = roll();
        if (r < LEAK) {
            leaks.incrementAndGet();
            leaked.put(key(rq), rq);
            if (dropLeaked) {
                rq.release();
            }
            return BlkStatus.OK; // never processed: the timeout handler ends it
        }
        if (r < LEAK + WRONG_THREAD) {
            wrongThreadIos.incrementAndGet();
            long k = key(rq);
            onWrongThread.add(k);
            wrongThreadWork.add(() -> processOnWrongThread(hw, rq, k));
            return BlkStatus.OK;
        }
        BlkStatus st = super.queueRq(hw, rq, isLast);
        if (st == BlkStatus.OK && irqmode == 0) {
            afterOwnEnd(rq);
        }
        return st;
    }

    /** The request's issue is over (ended, requeued, or released to the timeout): misbehave with its handle. */
    private void afterOwnEnd(RequestRef<NullCmd> rq) {
        double r = roll();
        if (!injectEnds) {
            return;
        }
        if (r < DOUBLE_END) {
            doubleEnds.incrementAndGet();
            injected(rq.end(BlkStatus.IOERR));
        } else if (r < DOUBLE_END + BURY) {
            graveyard.set(random.nextInt(graveyard.length()), rq);
        }
    }

    private void maybeStaleEnd() {
        if (roll() >= STALE_END || !injectEnds) {
            return;
        }
        RequestRef<NullCmd> old = graveyard.getAndSet(random.nextInt(graveyard.length()), null);
        if (old != null) {
            staleEnds.incrementAndGet();
            injected(old.end(BlkStatus.IOERR));
        }
    }

    private void injected(EndOutcome o) {
        outcomes.incrementAndGet(o.ordinal());
    }

    private void processOnWrongThread(NullQueue hw, RequestRef<NullCmd> rq, long k) {
        try {
            BlkStatus st = delegate().queueRq(hw, rq, true);
            if (st != BlkStatus.OK) {
                // RESOURCE / DEV_RESOURCE: the core cannot hear it any more; give it back ourselves.
                if (rq.requeue(true) != EndOutcome.ENDED) {
                    ownRefused.incrementAndGet();
                }
            } else if (irqmode == 0) {
                afterOwnEnd(rq);
            }
        } finally {
            onWrongThread.remove(k);
        }
    }

    private void wrongThreadLoop() {
        while (!stopped) {
            try {
                Runnable w = wrongThreadWork.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (w != null) {
                    w.run();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void complete(RequestRef<NullCmd> rq) {
        super.complete(rq);
        // The completion handle has ended the request: a second end, or a later stale one, must be refused.
        afterOwnEnd(rq);
    }

    @Override
    public EhTimerReturn timeout(RequestRef<NullCmd> rq) {
        long k = key(rq);
        if (leaked.remove(k) != null) {
            if (rq.end(BlkStatus.TIMEOUT) == EndOutcome.ENDED) {
                leaksEnded.incrementAndGet();
            } else {
                ownRefused.incrementAndGet();
            }
            return EhTimerReturn.DONE;
        }
        if (onWrongThread.contains(k)) {
            resetTimers.incrementAndGet();
            return EhTimerReturn.RESET_TIMER; // still being worked on, on our own thread
        }
        return super.timeout(rq);
    }

    /** Leaked requests not yet ended by their timeout. */
    int leakedOutstanding() {
        return leaked.size();
    }

    long injections() {
        return doubleEnds.get() + staleEnds.get();
    }

    long outcome(EndOutcome o) {
        return outcomes.get(o.ordinal());
    }

    void stop() {
        stopped = true;
        wrongThread.interrupt();
        try {
            wrongThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
