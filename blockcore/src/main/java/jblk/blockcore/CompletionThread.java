package jblk.blockcore;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * What the softirq and timer contexts share: a daemon thread named after disk and queue, fed
 * through a lock-free intrusive list ({@code llist}, linked through {@code rq->ipi_list}) so
 * handing it a request allocates nothing, and which spins briefly before it parks, so a busy
 * queue does not pay for a wake-up per request.
 */
abstract class CompletionThread implements Runnable {
    /** How long an idle context keeps polling before it parks. */
    static final long SPIN_NS = 50_000L;

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
        } while (!incoming.compareAndSet(h, rq));
        if (h == null && sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** {@code llist_del_all} + reverse: the pushed requests, oldest first, or null. */
    final Request takeAll() {
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
