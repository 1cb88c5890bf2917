package jblk.nullblk;

import java.nio.ByteBuffer;
import java.util.Arrays;
import jblk.blockcore.DirectMemory;

/**
 * Where memory-backed null_blk keeps its pages: 4 KiB pages carved from 1 MiB direct (off-heap)
 * slabs, handed out by number and recycled through a free list.
 *
 * <p>Why off-heap: a fully written 1 GiB disk is 262,144 pages that live as long as the disk;
 * on the heap they would make the JVM's heap size depend on the disk and give the collector a
 * gigabyte of long-lived arrays to mark. Off-heap they cost their bytes plus ~1/1000 of
 * directory, and running out is a clean, local event: this pool has a budget (by default the
 * JVM's direct memory limit, {@code -XX:MaxDirectMemorySize}, which {@code ./jblk} sizes for
 * the disk), and a page it cannot give makes the write fail with NOSPC while everything already
 * written stays.
 */
final class PagePool {
    static final int PAGE_SHIFT = 12;
    static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int SLAB_SHIFT = 8;
    static final int SLAB_PAGES = 1 << SLAB_SHIFT;
    static final int SLAB_BYTES = SLAB_PAGES * PAGE_SIZE;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(PAGE_SIZE);

    private final long budgetBytes;
    private volatile ByteBuffer[] slabs = new ByteBuffer[16];
    private int nrSlabs;
    /** A thread is allocating a slab outside the lock; others wait for it rather than add one too. */
    private boolean growing;
    private int nextFresh;
    private int[] free = new int[64];
    private int nrFree;
    private long pagesInUse;

    PagePool(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * A zeroed page's number, or -1 at once when the budget or the JVM's direct memory is
     * exhausted. The budget is this pool's own count; the JVM's limit is checked before a new slab
     * is asked for ({@link DirectMemory#fits}), because {@code allocateDirect} at the limit forces
     * a GC and retries for about a second before it fails. The slab is allocated outside the lock,
     * so pages from the free list keep flowing meanwhile.
     */
    int alloc() {
        while (true) {
            synchronized (this) {
                if ((pagesInUse + 1) * PAGE_SIZE > budgetBytes) {
                    return -1;
                }
                if (nrFree > 0) {
                    pagesInUse++;
                    return free[--nrFree];
                }
                if (nextFresh < nrSlabs * SLAB_PAGES) {
                    pagesInUse++;
                    return nextFresh++;
                }
                if (growing) {
                    // another thread is adding a slab: its pages are ours to take next
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return -1;
                    }
                    continue;
                }
                growing = true;
            }
            ByteBuffer slab = null;
            if (DirectMemory.fits(SLAB_BYTES)) {
                try {
                    slab = ByteBuffer.allocateDirect(SLAB_BYTES);
                } catch (OutOfMemoryError e) {
                    slab = null; // another allocator took the room after the check: fail this write
                }
            }
            synchronized (this) {
                growing = false;
                notifyAll();
                if (slab == null) {
                    return -1;
                }
                if (nrSlabs == slabs.length) {
                    slabs = Arrays.copyOf(slabs, nrSlabs * 2);
                }
                ByteBuffer[] s = slabs;
                s[nrSlabs++] = slab;
                slabs = s; // publish: readers index slabs without the lock (volatile write, read in slab())
            }
        }
    }

    /** Returns a page, zeroed for its next user. */
    void free(int h) {
        slab(h).put(offset(h), ZEROS, 0, PAGE_SIZE);
        synchronized (this) {
            if (nrFree == free.length) {
                free = Arrays.copyOf(free, nrFree * 2);
            }
            free[nrFree++] = h;
            pagesInUse--;
        }
    }

    ByteBuffer slab(int h) {
        return slabs[h >>> SLAB_SHIFT];
    }

    static int offset(int h) {
        return (h & (SLAB_PAGES - 1)) << PAGE_SHIFT;
    }

    synchronized long pagesInUse() {
        return pagesInUse;
    }

    /** Off-heap bytes reserved (whole slabs). */
    synchronized long reservedBytes() {
        return (long) nrSlabs * SLAB_PAGES * PAGE_SIZE;
    }

    long budgetBytes() {
        return budgetBytes;
    }

    static ByteBuffer zeros() {
        return ZEROS;
    }

    /** The JVM's direct memory limit (-XX:MaxDirectMemorySize, default the max heap size). */
    static long defaultBudget() {
        return DirectMemory.max();
    }
}
