package jblk.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.ReqOp;
import jblk.safety.EndOutcome;
import jblk.safety.ForwardingOperations;
import jblk.safety.Operations;
import jblk.safety.RequestRef;

/**
 * The kit's wrapper around the driver under test: the "hardware" between the block layer and the
 * driver. It notes where each request went (hw queue, tag), and per pass injects faults (a
 * requeue, a RESOURCE return, a lost request that only the timeout ends) or misbehaves like a buggy
 * driver (ends, completes and requeues through handles of requests that have finished), recording
 * each outcome so the run can check it was refused and counted.
 *
 * <p>It offers the optional callbacks the driver offers ({@link ForwardingOperations}), with one
 * exception: it always has {@code timeout} (to end the requests it lost); for the driver's own
 * requests it calls the driver's {@code timeout}, or re-arms the timer as the core does for a
 * driver without one. {@code queueRqs} and {@code poll} are not offered: plugged batches reach the
 * driver one by one.
 */
final class KitOps<T, H> extends ForwardingOperations<T, H> {
    static final double LOST = 0.01;
    static final double REQUEUE = 0.03;
    static final double BUSY = 0.03;
    static final double BURY = 0.05;
    static final double INJECT = 0.05;

    /** A handle kept after its request's issue, with the bio it served. */
    private record Buried<T>(RequestRef<T> ref, IoRecord rec) {
    }

    /** What the buggy wrapper does through a buried handle. */
    enum Misuse {
        END, COMPLETE, REQUEUE
    }

    private final Pass pass;
    private final Random random;
    /** In-flight bios by start sector (ranges are locked, so start sectors are unique). */
    final Map<Integer, IoRecord> records = new ConcurrentHashMap<>();
    final AtomicLongArray perHwQueue = new AtomicLongArray(64);
    private final Map<Long, RequestRef<T>> lost = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<Buried<T>> graveyard = new AtomicReferenceArray<>(32);

    final AtomicLong requeues = new AtomicLong();
    final AtomicLong busy = new AtomicLong();
    final AtomicLong lostCount = new AtomicLong();
    final AtomicLong lostEnded = new AtomicLong();
    /** The wrapper's own legitimate calls that were refused (must stay 0). */
    final AtomicLong ownRefused = new AtomicLong();
    /** Injected misuses by kind, and by the outcome they got (EndOutcome ordinal; ENDED = not refused). */
    final AtomicLongArray misuses = new AtomicLongArray(Misuse.values().length);
    final AtomicLongArray outcomes = new AtomicLongArray(EndOutcome.values().length);
    final List<String> wentThrough = new CopyOnWriteArrayList<>();

    KitOps(Operations<T, H> inner, Pass pass, long seed) {
        super(inner);
        this.pass = pass;
        this.random = new Random(seed);
    }

    private static long key(RequestRef<?> rq) {
        return rq.generation() << 24 | (long) rq.hwQueueIndex() << 16 | rq.tag();
    }

    @Override
    public BlkStatus queueRq(H hw, RequestRef<T> rq, boolean isLast) {
        IoRecord rec = rq.op() == ReqOp.FLUSH ? null : records.get((int) rq.sector());
        if (rec != null) {
            rec.hctx = rq.hwQueueIndex();
            rec.tag = rq.tag();
        }
        perHwQueue.incrementAndGet(Math.min(rq.hwQueueIndex(), perHwQueue.length() - 1));
        if (pass == Pass.FAULTS) {
            double r = random.nextDouble();
            if (r < LOST) {
                lostCount.incrementAndGet();
                if (rec != null) {
                    rec.lostByKit = true;
                }
                lost.put(key(rq), rq);
                return BlkStatus.OK; // never reaches the driver: the timeout ends it
            }
            if (r < LOST + REQUEUE) {
                requeues.incrementAndGet();
                if (rq.requeue(true) != EndOutcome.ENDED) {
                    ownRefused.incrementAndGet();
                }
                return BlkStatus.OK;
            }
            if (r < LOST + REQUEUE + BUSY) {
                busy.incrementAndGet();
                return BlkStatus.RESOURCE; // the core retries it
            }
        } else if (pass == Pass.BUGGY) {
            maybeMisuse();
        }
        BlkStatus st = super.queueRq(hw, rq, isLast);
        if (pass == Pass.BUGGY && st == BlkStatus.OK && rec != null && random.nextDouble() < BURY) {
            graveyard.set(random.nextInt(graveyard.length()), new Buried<>(rq, rec));
        }
        return st;
    }

    /** The buggy driver: ends, completes or requeues through the handle of a request whose bio has completed. */
    private void maybeMisuse() {
        if (random.nextDouble() >= INJECT) {
            return;
        }
        int slot = random.nextInt(graveyard.length());
        Buried<T> b = graveyard.get(slot);
        if (b == null || b.rec().completions.get() == 0 || !graveyard.compareAndSet(slot, b, null)) {
            return; // only finished requests: ending a live one through a kept handle is not a refusal to expect
        }
        Misuse m = Misuse.values()[random.nextInt(Misuse.values().length)];
        EndOutcome o = switch (m) {
            case END -> b.ref().end(BlkStatus.IOERR);
            case COMPLETE -> b.ref().complete();
            case REQUEUE -> b.ref().requeue(false);
        };
        misuses.incrementAndGet(m.ordinal());
        outcomes.incrementAndGet(o.ordinal());
        if (o == EndOutcome.ENDED) {
            wentThrough.add(m.name().toLowerCase(Locale.ROOT) + " through the handle of the finished "
                    + b.rec().describe()
                    + " went through");
        }
    }

    @Override
    public EhTimerReturn timeout(RequestRef<T> rq) {
        if (lost.remove(key(rq)) != null) {
            if (rq.end(BlkStatus.TIMEOUT) == EndOutcome.ENDED) {
                lostEnded.incrementAndGet();
            } else {
                ownRefused.incrementAndGet();
            }
            return EhTimerReturn.DONE;
        }
        return super.timeout(rq);
    }

    long misuses() {
        long n = 0;
        for (int i = 0; i < misuses.length(); i++) {
            n += misuses.get(i);
        }
        return n;
    }

    long outcome(EndOutcome o) {
        return outcomes.get(o.ordinal());
    }
}
