package jblk.nullblk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sparse page map of one device (the kernel's radix tree of {@code nullb_page}s): page index to
 * pool page, allocated on first write, so unwritten sectors read as zeros and never cost memory.
 * Lookups and installs are lock-free (one CAS to install a page), so I/O to different pages runs
 * in parallel; the kernel serialises all of null_blk's data transfer behind one spinlock.
 *
 * <p>Concurrent I/O to the same sectors is not ordered, as on any block device; each request's
 * data lands whole within a page once it completes.
 */
final class PageStore {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int LEAF_SHIFT = 10;
    private static final int LEAF_SIZE = 1 << LEAF_SHIFT;
    /** Leaves per middle node: a middle node maps 4 GiB of disk. */
    private static final int MID_SHIFT = 10;
    private static final int MID_SIZE = 1 << MID_SHIFT;

    final PagePool pool;
    /** Three levels, all allocated on first write below them: even a 1 PiB disk costs nothing up front. */
    private final AtomicReferenceArray<AtomicReferenceArray<int[]>> dir;
    private final long nrPages;

    PageStore(PagePool pool, long capacityBytes) {
        this.pool = pool;
        this.nrPages = (capacityBytes + PagePool.PAGE_SIZE - 1) >>> PagePool.PAGE_SHIFT;
        long leaves = (nrPages + LEAF_SIZE - 1) >>> LEAF_SHIFT;
        long mids = (leaves + MID_SIZE - 1) >>> MID_SHIFT;
        if (mids > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("capacity too large for the page directory");
        }
        this.dir = new AtomicReferenceArray<>((int) Math.max(1, mids));
    }

    /** The leaf covering leaf index {@code li}, or null (or created when {@code create}). */
    private int[] leaf(long li, boolean create) {
        int mi = (int) (li >>> MID_SHIFT);
        AtomicReferenceArray<int[]> mid = dir.get(mi);
        if (mid == null) {
            if (!create) {
                return null;
            }
            AtomicReferenceArray<int[]> fresh = new AtomicReferenceArray<>(MID_SIZE);
            mid = dir.compareAndExchange(mi, null, fresh);
            if (mid == null) {
                mid = fresh;
            }
        }
        int slot = (int) (li & (MID_SIZE - 1));
        int[] leaf = mid.get(slot);
        if (leaf == null && create) {
            int[] fresh = new int[LEAF_SIZE];
            leaf = mid.compareAndExchange(slot, null, fresh);
            if (leaf == null) {
                leaf = fresh;
            }
        }
        return leaf;
    }

    /** The pool page holding disk page {@code idx}, or -1 for a hole. */
    int lookup(long idx) {
        int[] leaf = leaf(idx >>> LEAF_SHIFT, false);
        if (leaf == null) {
            return -1;
        }
        return (int) SLOT.getAcquire(leaf, (int) (idx & (LEAF_SIZE - 1))) - 1;
    }

    /** The page for {@code idx}, allocating a zeroed one if needed; -1 when memory ran out. */
    int lookupOrAlloc(long idx) {
        int h = lookup(idx);
        if (h >= 0) {
            return h;
        }
        int[] leaf = leaf(idx >>> LEAF_SHIFT, true);
        int n = pool.alloc();
        if (n < 0) {
            return -1;
        }
        int slot = (int) (idx & (LEAF_SIZE - 1));
        int prev = (int) SLOT.compareAndExchange(leaf, slot, 0, n + 1);
        if (prev != 0) {
            pool.free(n); // another writer installed it first
            return prev - 1;
        }
        return n;
    }

    /** Installs {@code h} for {@code idx} (cache write-back), returning the page it replaced or -1. */
    int replace(long idx, int h) {
        int[] leaf = leaf(idx >>> LEAF_SHIFT, true);
        return (int) SLOT.getAndSet(leaf, (int) (idx & (LEAF_SIZE - 1)), h + 1) - 1;
    }

    /** Removes page {@code idx} and returns it to the pool (a hole again). */
    boolean remove(long idx) {
        int[] leaf = leaf(idx >>> LEAF_SHIFT, false);
        if (leaf == null) {
            return false;
        }
        int prev = (int) SLOT.getAndSet(leaf, (int) (idx & (LEAF_SIZE - 1)), 0);
        if (prev != 0) {
            pool.free(prev - 1);
            return true;
        }
        return false;
    }

    /** Detaches page {@code idx} without freeing it (the cache hands it to the data store). */
    int take(long idx) {
        int[] leaf = leaf(idx >>> LEAF_SHIFT, false);
        if (leaf == null) {
            return -1;
        }
        return (int) SLOT.getAndSet(leaf, (int) (idx & (LEAF_SIZE - 1)), 0) - 1;
    }

    long nrPages() {
        return nrPages;
    }

    // ---- copying ---------------------------------------------------------------------------------

    /** Copies {@code len} bytes of disk page {@code h} at {@code off} into {@code dst} at {@code dstOff}. */
    void read(int h, int off, ByteBuffer dst, int dstOff, int len) {
        if (h < 0) {
            dst.put(dstOff, PagePool.zeros(), 0, len);
        } else {
            dst.put(dstOff, pool.slab(h), PagePool.offset(h) + off, len);
        }
    }

    void write(int h, int off, ByteBuffer src, int srcOff, int len) {
        pool.slab(h).put(PagePool.offset(h) + off, src, srcOff, len);
    }

    void zero(int h, int off, int len) {
        pool.slab(h).put(PagePool.offset(h) + off, PagePool.zeros(), 0, len);
    }

    void copyPage(int from, int to) {
        pool.slab(to).put(PagePool.offset(to), pool.slab(from), PagePool.offset(from), PagePool.PAGE_SIZE);
    }
}
