package jblk.nbd;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A connection's pool of {@link RequestSlot}s, the bounded in-flight window: at most
 * {@link #MAX_SLOTS} requests and {@link #MAX_BYTES} of request data are out at once. The reader
 * takes slots (creating them on first need, then reusing them); whoever sends a reply gives its
 * slot back. A reader that finds the window full waits, after pushing out the replies it holds,
 * until slots come back: the connection then stops reading the socket (backpressure).
 */
final class SlotPool {
    static final int MAX_SLOTS = 128;
    static final long MAX_BYTES = 64L << 20;

    private final NbdConnection conn;
    private final SlotStack returned = new SlotStack();
    /** The reader's private free list (refilled from {@link #returned}). */
    private RequestSlot free;
    private int created;
    private final AtomicLong bytes = new AtomicLong();
    private volatile Thread waiter;

    private final BufferPool buffers;

    SlotPool(NbdConnection conn, BufferPool buffers) {
        this.conn = conn;
        this.buffers = buffers;
    }

    /**
     * A slot with {@code dataBytes} counted against the window (reader only). While the window
     * is full it runs {@code whileWaiting} (sends queued replies) and parks until a slot returns.
     */
    RequestSlot acquire(long dataBytes, Runnable whileWaiting) {
        while (true) {
            if (free == null) {
                free = returned.takeAll();
            }
            long b = bytes.get();
            if (dataBytes == 0 || b == 0 || b + dataBytes <= MAX_BYTES) {
                RequestSlot s = free;
                if (s != null) {
                    free = s.next;
                    s.next = null;
                    return take(s, dataBytes);
                }
                if (created < MAX_SLOTS) {
                    created++;
                    return take(new RequestSlot(conn, buffers), dataBytes);
                }
            }
            whileWaiting.run();
            waiter = Thread.currentThread();
            try {
                if (returned.isEmpty()) { // re-checked after publishing the waiter: no lost wake-up
                    LockSupport.parkNanos(this, 1_000_000L);
                }
            } finally {
                waiter = null;
            }
        }
    }

    private RequestSlot take(RequestSlot s, long dataBytes) {
        s.budgetBytes = dataBytes;
        if (dataBytes != 0) {
            bytes.addAndGet(dataBytes);
        }
        return s;
    }

    /** At connection close, after every slot came back: their kept data buffers go back to the server. */
    void releaseBuffers() {
        RequestSlot s = free;
        free = null;
        for (int pass = 0; pass < 2; pass++) {
            for (; s != null; s = s.next) {
                s.releaseAll();
            }
            s = returned.takeAll();
        }
    }

    /** Gives {@code s} back (any thread): its reply was sent, dropped, or never needed. */
    void recycle(RequestSlot s) {
        if (s.budgetBytes != 0) {
            bytes.addAndGet(-s.budgetBytes);
            s.budgetBytes = 0;
        }
        s.release();
        returned.push(s);
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}
