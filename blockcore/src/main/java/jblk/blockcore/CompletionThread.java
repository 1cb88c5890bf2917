package jblk.blockcore;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What the softirq and timer contexts share: a daemon thread named after disk and queue, fed
 * through a lock-free intrusive list ({@code llist}, linked through {@code rq->ipi_list}) so
 * handing it a request allocates nothing, and which spins briefly before it parks, so a busy
 * queue does not pay for a wake-up per request.
 *
 * <p>Kept hand-written rather than a JCTools queue: CompletionListBench (one thread, 32 handoffs,
 * 2 cores at load 15) measured 2633 +- 1393 ns per batch for this llist, 2624 +- 1543 for
 * {@code MpscUnboundedXaddArrayQueue} and 4302 +- 3043 for {@code MpscArrayQueue}: no queue was
 * faster, and the llist needs no buffer and no extra object. To be re-run on a quiet machine.
 */
abstract class CompletionThread implements Runnable {
    /**
     * How long an idle softirq context polls before it parks (-Djblk.completion.spinNs; and
     * -Djblk.completion.yieldNs of Thread.yield() in between, 0 by default). Short: on two cores
     * with two jobs there are four busy threads, and measured here (./jblk bench, irqmode=1,
     * iodepth 32, interleaved) a 2 us spin kept one job at 1.0-1.2 M IOPS and two jobs at
     * 0.8-1.0 M, where a 20 us spin plus 50 us of yielding dropped two jobs to 0.3 M.
     */
    static final long SPIN_NS = Long.getLong("jblk.completion.spinNs", 2_000L);
    static final long YIELD_NS = Long.getLong("jblk.completion.yieldNs", 0L);

    final HwQueue hctx;
    final Thread thread;
    private final AtomicReference<Request> incoming = new AtomicReference<>();
    private volatile boolean sleeping;
    volatile boolean stopped;

    CompletionThread(HwQueue hctx, String kind) {
        this.hctx = hctx;
        this.thread = new Thread(this, "jblk-" + hctx.q.disk.name() + "-" + kind + "-" + hctx.queueNum);
        this.thread.setDaemon(true);
    }

    final void startThread() {
        thread.start();
    }

    /** {@code llist_add}; wakes the thread if the list was empty and it sleeps. */
    final void push(Request rq) {
        Request h;
        do {
            h = incoming.get();
            rq.ipiNext = h;
            // the CAS publishes rq and ipiNext; pairs with takeAll's getAndSet
        } while (!AtomicTally.tally(AtomicTally.COMPLETION_LIST, incoming.compareAndSet(h, rq)));
        if (h == null && sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** {@code llist_del_all} + reverse: the pushed requests, oldest first, or null. */
    final Request takeAll() {
        if (incoming.get() == null) {
            return null; // a read, not a write: idle polling must not steal the producers' line
        }
        AtomicTally.count(AtomicTally.COMPLETION_LIST);
        Request list = incoming.getAndSet(null);
        Request rev = null;
        while (list != null) {
            Request next = list.ipiNext;
            list.ipiNext = rev;
            rev = list;
            list = next;
        }
        return rev;
    }

    final boolean hasIncoming() {
        return incoming.get() != null;
    }

    /**
     * One step of waiting while idle since {@code idleSinceNs}: spin, then yield, then park until
     * something is pushed. Returns true if it parked (the caller restarts its idle clock).
     */
    final boolean idle(long idleSinceNs, long nowNs) {
        return idle(idleSinceNs, nowNs, SPIN_NS);
    }

    final boolean idle(long idleSinceNs, long nowNs, long spinNs) {
        long idleNs = nowNs - idleSinceNs;
        if (idleNs < spinNs) {
            Thread.onSpinWait();
            return false;
        }
        if (idleNs < spinNs + YIELD_NS) {
            Thread.yield();
            return false;
        }
        sleep(Long.MAX_VALUE);
        return true;
    }

    /** Parks until something is pushed, {@code maxNs} passes, or the context stops. */
    final void sleep(long maxNs) {
        sleeping = true;
        if (!hasIncoming() && !stopped) {
            if (maxNs == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, maxNs);
            }
        }
        sleeping = false;
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
