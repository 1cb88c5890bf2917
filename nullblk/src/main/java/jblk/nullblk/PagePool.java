package jblk.nullblk;

import java.nio.ByteBuffer;
import java.util.Arrays;

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
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(PAGE_SIZE);

    private final long budgetBytes;
    private volatile ByteBuffer[] slabs = new ByteBuffer[16];
    private int nrSlabs;
    private int nextFresh;
    private int[] free = new int[64];
    private int nrFree;
    private long pagesInUse;

    PagePool(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** A zeroed page's number, or -1 when the budget or the JVM's direct memory is exhausted. */
    synchronized int alloc() {
        if ((pagesInUse + 1) * PAGE_SIZE > budgetBytes) {
            return -1;
        }
        int h;
        if (nrFree > 0) {
            h = free[--nrFree];
        } else {
            if (nextFresh == nrSlabs * SLAB_PAGES) {
                ByteBuffer slab;
                try {
                    slab = ByteBuffer.allocateDirect(SLAB_PAGES * PAGE_SIZE);
                } catch (OutOfMemoryError e) {
                    return -1;
                }
                if (nrSlabs == slabs.length) {
                    slabs = Arrays.copyOf(slabs, nrSlabs * 2);
                }
                ByteBuffer[] s = slabs;
                s[nrSlabs++] = slab;
                slabs = s; // publish
            }
            h = nextFresh++;
        }
        pagesInUse++;
        return h;
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
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
                return parseSize(arg.substring("-XX:MaxDirectMemorySize=".length()));
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    static long parseSize(String s) {
        String t = s.trim().toLowerCase();
        long mult = 1;
        char c = t.charAt(t.length() - 1);
        if (c == 'k' || c == 'm' || c == 'g' || c == 't') {
            mult = c == 'k' ? 1L << 10 : c == 'm' ? 1L << 20 : c == 'g' ? 1L << 30 : 1L << 40;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }
}
