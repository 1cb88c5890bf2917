package jblk.nbd;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import jblk.blockcore.DirectMemory;

/**
 * The server's budget of direct memory for connection buffers (each connection's input buffer and
 * its requests' data), counted apart from the disk's pages, the way nbdkit's and the kernel's
 * network buffers are not the disk's memory. Buffers come in power-of-two sizes from 4 KiB to
 * 32 MiB and are kept for reuse once made, so memory stays flat however many large requests pass:
 * the total of buffers in use and kept never exceeds the budget. A request the budget cannot serve
 * gets no buffer (the connection answers it ENOMEM), and neither does one the JVM's direct memory
 * cannot serve ({@link DirectMemory#fits} is asked first, so that fails at once too).
 */
final class BufferPool {
    static final int MIN_SHIFT = 12;
    static final int MAX_SHIFT = 25;
    /** Default budget: 256 MiB, or a quarter of the JVM's direct memory when that is smaller. */
    static final long DEFAULT_BUDGET = 256L << 20;

    private final long budget;
    private final ArrayDeque<ByteBuffer>[] free;
    /** Bytes of buffers that exist (in use + kept free). */
    private long reserved;
    private long inUse;
    private long refusals;

    @SuppressWarnings("unchecked")
    BufferPool(long budgetBytes) {
        if (budgetBytes < (1L << MIN_SHIFT)) {
            throw new IllegalArgumentException("buffer memory " + budgetBytes + " bytes is too small: allowed at least "
                    + (1 << MIN_SHIFT) + " bytes");
        }
        this.budget = budgetBytes;
        @SuppressWarnings({"unchecked", "rawtypes"}) // Java has no generic array creation; every slot gets a deque
        ArrayDeque<ByteBuffer>[] lists = new ArrayDeque[MAX_SHIFT - MIN_SHIFT + 1];
        this.free = lists;
        for (int i = 0; i < free.length; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    static long defaultBudget() {
        return Math.min(DEFAULT_BUDGET, DirectMemory.max() / 4);
    }

    /** The size class (power of two) that holds {@code bytes}. */
    static int sizeOf(int bytes) {
        if (bytes <= 1 << MIN_SHIFT) {
            return 1 << MIN_SHIFT;
        }
        return Integer.highestOneBit(bytes - 1) << 1;
    }

    /**
     * A cleared buffer of at least {@code bytes} (at most 32 MiB), or null when neither the budget
     * nor the JVM can give one. Buffers kept in other sizes are dropped to make room first.
     */
    synchronized ByteBuffer tryAcquire(int bytes) {
        if (bytes > 1 << MAX_SHIFT) {
            throw new IllegalArgumentException("buffer of " + bytes + " bytes: allowed at most " + (1 << MAX_SHIFT));
        }
        int size = sizeOf(bytes);
        ByteBuffer b = free[index(size)].pollFirst();
        if (b == null) {
            for (int k = free.length - 1; k >= 0 && reserved + size > budget; k--) {
                ByteBuffer x;
                while (reserved + size > budget && (x = free[k].pollFirst()) != null) {
                    reserved -= x.capacity(); // dropped: the collector returns its memory to the JVM
                }
            }
            if (reserved + size > budget || !DirectMemory.fits(size)) {
                refusals++;
                return null;
            }
            try {
                b = ByteBuffer.allocateDirect(size);
            } catch (OutOfMemoryError e) {
                refusals++; // another allocator took the room after the check
                return null;
            }
            reserved += size;
        }
        inUse += size;
        b.clear();
        return b;
    }

    /** Gives back a buffer from {@link #tryAcquire}, to be reused. */
    synchronized void release(ByteBuffer b) {
        inUse -= b.capacity();
        free[index(b.capacity())].push(b);
    }

    private static int index(int size) {
        return Integer.numberOfTrailingZeros(size) - MIN_SHIFT;
    }

    long budget() {
        return budget;
    }

    /** Bytes of buffers handed out now. */
    synchronized long inUse() {
        return inUse;
    }

    /** Bytes of buffers that exist, in use or kept: never above {@link #budget()}. */
    synchronized long reserved() {
        return reserved;
    }

    /** Requests for a buffer that were refused (budget or JVM exhausted). */
    synchronized long refusals() {
        return refusals;
    }
}
