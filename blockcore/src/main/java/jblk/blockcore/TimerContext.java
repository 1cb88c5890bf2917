package jblk.blockcore;

import java.util.Arrays;

/**
 * Models a high-resolution timer ({@code hrtimer}) completion context for one hardware queue, as
 * null_blk's irqmode=2 uses one per command: {@link BlkMq#completeRequestAfter} arms it, and at
 * expiry the driver's {@link BlkMqOps#complete} runs on this queue's timer thread.
 *
 * <p>Accuracy: {@code parkNanos} sleeps at least the kernel's 50 µs timer slack, too coarse for a
 * 10 µs completion. The thread parks only while the next expiry is far away, wakes early, and
 * spins the last stretch, so requests complete within about a microsecond of their expiry.
 */
public final class TimerContext extends CompletionThread {
    /** Park only when the next expiry is further away than this; spin closer in. */
    static final long PARK_THRESHOLD_NS = 200_000L;
    /** Wake this much before the expiry when parking (covers timer slack). */
    static final long WAKE_EARLY_NS = 120_000L;
    /**
     * An idle timer context polls this long before it parks: longer than the softirq's, because a
     * wake-up (tens of microseconds here) would make the next 10 us timer late.
     */
    static final long IDLE_SPIN_NS = Long.getLong("jblk.timer.spinNs", 100_000L);

    private Request[] heap = new Request[64];
    private int size;

    TimerContext(HwQueue hctx) {
        super(hctx, "timer");
        startThread();
    }

    void start(Request rq, long expiresNs) {
        rq.timerDeadlineNs = expiresNs;
        push(rq);
    }

    @Override
    public void run() {
        long idleSince = 0;
        while (!stopped) {
            for (Request rq = takeAll(); rq != null; ) {
                Request next = rq.ipiNext;
                rq.ipiNext = null;
                add(rq);
                rq = next;
            }
            if (size == 0) {
                long now = System.nanoTime();
                if (idleSince == 0) {
                    idleSince = now;
                } else if (idle(idleSince, now, IDLE_SPIN_NS)) {
                    idleSince = 0;
                }
                continue;
            }
            idleSince = 0;
            long now = System.nanoTime();
            while (size > 0 && heap[0].timerDeadlineNs - now <= 0) {
                BlkMq.callComplete(poll());
            }
            if (size > 0) {
                long wait = heap[0].timerDeadlineNs - now;
                if (wait > PARK_THRESHOLD_NS) {
                    sleep(wait - WAKE_EARLY_NS);
                } else {
                    warm(heap[0]);
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * While it waits for the next expiry, the timer thread reads what completing that request will
     * read (the request, its bio, the driver's data), so those cache lines are here, not on the
     * submitter's core, when the timer fires: the completion then runs at cache speed.
     */
    private void warm(Request rq) {
        Bio b = rq.bio;
        Object pdu = rq.pdu;
        warmSink = System.identityHashCode(b) ^ System.identityHashCode(pdu) ^ rq.nrBytes ^ (b == null ? 0 : b.size())
                ^ (int) rq.sector ^ (rq.hctx == null ? 0 : rq.hctx.queueNum);
    }

    /** Keeps {@link #warm}'s reads from being optimised away; written by the timer thread only. */
    int warmSink;

    /** Pending timers (debug info). Only exact when read from the timer thread. */
    int pending() {
        return size;
    }

    private void add(Request rq) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent].timerDeadlineNs - rq.timerDeadlineNs <= 0) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = rq;
    }

    private Request poll() {
        Request top = heap[0];
        Request last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= size) {
                    break;
                }
                if (c + 1 < size && heap[c + 1].timerDeadlineNs - heap[c].timerDeadlineNs < 0) {
                    c++;
                }
                if (last.timerDeadlineNs - heap[c].timerDeadlineNs <= 0) {
                    break;
                }
                heap[i] = heap[c];
                i = c;
            }
            heap[i] = last;
        }
        return top;
    }
}
