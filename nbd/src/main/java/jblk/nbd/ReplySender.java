package jblk.nbd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The send side of a connection: encoded replies wait on a lock-free stack and go out oldest
 * first in gathering writes ({@code writev}), one sender at a time. The connection's reader sends
 * what it queued itself when it runs out of input; replies queued by other threads (a disk's
 * softirq or timer context) wake this sender's own thread, so no completion context ever blocks on
 * the socket. When the client stops taking replies (the socket fails) they are dropped and the
 * connection's input is shut, so the reader stops too.
 */
final class ReplySender {
    private final SocketChannel ch;
    private final String who;
    private final SlotPool pool;
    private final SlotStack replies = new SlotStack();
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer[] iov = new ByteBuffer[2 * SlotPool.MAX_SLOTS];
    private final RequestSlot[] batch = new RequestSlot[SlotPool.MAX_SLOTS];
    private final AtomicLong allocated;
    private volatile boolean broken;
    private volatile boolean stop;
    private volatile Thread thread;
    /** Opened on first need, used under {@link #lock}. */
    private Selector writeSelector;

    /** select's action for ready keys: none, the caller looks at its one channel itself. */
    private static void ignoreKey(SelectionKey k) {
    }

    ReplySender(SocketChannel ch, String who, SlotPool pool, AtomicLong allocated) {
        this.ch = ch;
        this.who = who;
        this.pool = pool;
        this.allocated = allocated;
    }

    /** Starts the thread that sends replies completed on other threads. */
    void start(String name) {
        Thread t = new Thread(this::loop, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Queues a reply; {@code wake} when the caller will not send it itself (not the reader). */
    void queue(RequestSlot s, boolean wake) {
        replies.push(s);
        if (wake) {
            LockSupport.unpark(thread);
        }
    }

    /** Sends every queued reply (any thread). */
    void flush() {
        if (replies.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            RequestSlot list;
            while ((list = replies.takeAll()) != null) {
                int cnt = 0;
                for (RequestSlot s = list; s != null; s = s.next) {
                    batch[cnt++] = s;
                }
                int n = 0;
                for (int i = cnt - 1; i >= 0; i--) { // the stack is newest first
                    RequestSlot s = batch[i];
                    iov[n++] = s.hdr;
                    if (s.payload != null) {
                        iov[n++] = s.payload;
                    }
                }
                if (!broken) {
                    try {
                        writeFully(n);
                    } catch (IOException e) {
                        markBroken(e);
                    }
                }
                for (int i = 0; i < n; i++) {
                    iov[i] = null;
                }
                for (int i = 0; i < cnt; i++) {
                    RequestSlot s = batch[i];
                    batch[i] = null;
                    pool.recycle(s);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeFully(int n) throws IOException {
        int i = 0;
        while (i < n) {
            if (ch.write(iov, i, n - i) == 0) {
                awaitWritable(); // non-blocking socket, send buffer full: the client is behind
            }
            while (i < n && !iov[i].hasRemaining()) {
                i++;
            }
        }
    }

    private void awaitWritable() throws IOException {
        if (writeSelector == null) {
            writeSelector = Selector.open();
            ch.register(writeSelector, SelectionKey.OP_WRITE);
        }
        writeSelector.select(ReplySender::ignoreKey, 100);
        if (!ch.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void markBroken(IOException e) {
        if (!broken) {
            broken = true;
            NbdLog.info(who + ": cannot send replies (" + e + "); dropping them and closing");
            try {
                ch.shutdownInput(); // stop reading requests nobody can get answers to
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private void loop() {
        long start = ThreadAllocation.current();
        while (!stop) {
            LockSupport.park(this);
            flush();
        }
        if (start >= 0) {
            allocated.addAndGet(ThreadAllocation.current() - start);
        }
    }

    /** Stops the thread after it sent what is queued; returns when it ended. */
    void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        stop = true;
        LockSupport.unpark(t);
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Releases the write selector (after the last flush). */
    void close() {
        lock.lock();
        try {
            if (writeSelector != null) {
                writeSelector.close();
                writeSelector = null;
            }
        } catch (IOException ignored) {
            // closing anyway
        } finally {
            lock.unlock();
        }
    }
}
