package jblk.nullblk;

import java.nio.ByteBuffer;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ReqFlags;
import jblk.blockcore.ReqOp;

/**
 * null_blk's memory_backed mode ({@code null_handle_memory_backed}, {@code null_transfer},
 * {@code null_handle_flush}, {@code null_handle_discard}): a sparse {@link PageStore} of data and,
 * with {@code cache_size}, a write-back cache in front of it that FUA bypasses and FLUSH drains.
 *
 * <p>Without a cache, transfers take no lock at all. With the cache, every transfer and zeroing
 * holds one lock per device for its whole length, as the kernel holds {@code nullb->lock}: the
 * cache moves pages into the data store, so no page-level step may interleave with another
 * request's (it is a small, optional feature; the lock-free data path is not).
 */
final class MemoryBacking {
    /** {@code FREE_BATCH}: pages written back per round when the cache is full. */
    static final int FREE_BATCH = 16;

    final PageStore data;
    private final PageStore cache;
    private final long cachePagesMax;
    private final Object cacheLock = new Object();
    private long[] cacheOrder;
    private int cacheHead;
    private int cacheCount;

    MemoryBacking(PagePool pool, long capacityBytes, long cacheBytes) {
        this.data = new PageStore(pool, capacityBytes);
        if (cacheBytes > 0) {
            this.cache = new PageStore(pool, capacityBytes);
            long pages = Math.max(1, cacheBytes >>> PagePool.PAGE_SHIFT);
            this.cacheOrder = new long[(int) Math.min(pages + FREE_BATCH, 1 << 24)];
            this.cachePagesMax = Math.min(pages, cacheOrder.length - FREE_BATCH);
        } else {
            this.cache = null;
            this.cachePagesMax = 0;
        }
    }

    boolean hasCache() {
        return cache != null;
    }

    /**
     * READ or WRITE of {@code bytes} at {@code sector} through {@code buf[off..]}. With the cache,
     * the whole transfer holds the lock, as the kernel holds {@code nullb->lock}: a write-back swaps
     * a data page while I/O to other sectors of that page may be running (a FUA write into the
     * page being swapped out was lost).
     */
    BlkStatus transfer(ReqOp op, long sector, int bytes, ByteBuffer buf, int off, int flags) {
        if (cache == null) {
            return transferPages(op, sector, bytes, buf, off, false);
        }
        synchronized (cacheLock) {
            if (op == ReqOp.WRITE && (flags & ReqFlags.PREFLUSH) != 0) {
                writeBack(cacheCount);
            }
            return transferPages(op, sector, bytes, buf, off, (flags & ReqFlags.FUA) != 0);
        }
    }

    /** The page-by-page copy; with the cache, the caller holds its lock. */
    private BlkStatus transferPages(ReqOp op, long sector, int bytes, ByteBuffer buf, int off, boolean fua) {
        long pos = sector << 9;
        int done = 0;
        while (done < bytes) {
            long idx = (pos + done) >>> PagePool.PAGE_SHIFT;
            int inPage = (int) ((pos + done) & (PagePool.PAGE_SIZE - 1));
            int len = Math.min(PagePool.PAGE_SIZE - inPage, bytes - done);
            if (op == ReqOp.READ) {
                int h = cache != null ? cache.lookup(idx) : -1;
                if (h >= 0) {
                    cache.read(h, inPage, buf, off + done, len);
                } else {
                    data.read(data.lookup(idx), inPage, buf, off + done, len);
                }
            } else if (cache != null && !fua) {
                int h = cachePage(idx);
                if (h < 0) {
                    return BlkStatus.NOSPC;
                }
                cache.write(h, inPage, buf, off + done, len);
            } else {
                int h = data.lookupOrAlloc(idx);
                if (h < 0) {
                    return BlkStatus.NOSPC;
                }
                data.write(h, inPage, buf, off + done, len);
                int c = cache != null ? cache.lookup(idx) : -1;
                if (c >= 0) {
                    cache.write(c, inPage, buf, off + done, len); // keep the cached copy current
                }
            }
            done += len;
        }
        return BlkStatus.OK;
    }

    /** The cache page for {@code idx}: a copy of the data page, made room for if the cache is full. */
    private int cachePage(long idx) {
        int h = cache.lookup(idx);
        if (h >= 0) {
            return h;
        }
        if (cacheCount >= cachePagesMax) {
            writeBack(FREE_BATCH);
        }
        h = cache.lookupOrAlloc(idx);
        if (h < 0) {
            writeBack(cacheCount); // memory is short: empty the cache and try once more
            h = cache.lookupOrAlloc(idx);
            if (h < 0) {
                return -1;
            }
        }
        int d = data.lookup(idx);
        if (d >= 0) {
            cache.copyPage(d, h);
        }
        cacheOrder[(cacheHead + cacheCount) % cacheOrder.length] = idx;
        cacheCount++;
        return h;
    }

    /** Moves up to {@code n} of the oldest cache pages into the data store (caller holds the lock). */
    private void writeBack(int n) {
        for (int i = 0; i < n && cacheCount > 0; i++) {
            long idx = cacheOrder[cacheHead];
            cacheHead = (cacheHead + 1) % cacheOrder.length;
            cacheCount--;
            int h = cache.take(idx);
            if (h >= 0) {
                int old = data.replace(idx, h);
                if (old >= 0) {
                    data.pool.free(old);
                }
            }
        }
    }

    /** {@code null_handle_flush}: the cache is empty when this returns. */
    BlkStatus flush() {
        if (cache != null) {
            synchronized (cacheLock) {
                writeBack(cacheCount);
            }
        }
        return BlkStatus.OK;
    }

    /**
     * DISCARD, or WRITE_ZEROES ({@code unmap} false keeps pages allocated, NBD's NO_HOLE): whole
     * pages are freed (holes read as zeros), partial pages zeroed.
     */
    BlkStatus zeroRange(long sector, long bytes, boolean unmap) {
        if (cache == null) {
            return zeroPages(sector, bytes, unmap);
        }
        synchronized (cacheLock) { // a write-back must not bring back a page this is zeroing
            return zeroPages(sector, bytes, unmap);
        }
    }

    /** The page-by-page zeroing; with the cache, the caller holds its lock. */
    private BlkStatus zeroPages(long sector, long bytes, boolean unmap) {
        long pos = sector << 9;
        long done = 0;
        while (done < bytes) {
            long idx = (pos + done) >>> PagePool.PAGE_SHIFT;
            int inPage = (int) ((pos + done) & (PagePool.PAGE_SIZE - 1));
            int len = (int) Math.min(PagePool.PAGE_SIZE - inPage, bytes - done);
            boolean whole = len == PagePool.PAGE_SIZE;
            if (cache != null) {
                if (whole) {
                    cache.remove(idx);
                } else {
                    int c = cache.lookup(idx);
                    if (c >= 0) {
                        cache.zero(c, inPage, len);
                    }
                }
            }
            if (whole && unmap) {
                data.remove(idx);
            } else if (!unmap) {
                int h = data.lookupOrAlloc(idx);
                if (h < 0) {
                    return BlkStatus.NOSPC;
                }
                data.zero(h, inPage, len);
            } else {
                int h = data.lookup(idx);
                if (h >= 0) {
                    data.zero(h, inPage, len);
                }
            }
            done += len;
        }
        return BlkStatus.OK;
    }

    /** Whether the 4 KiB page holding byte {@code pos} has data (for NBD block status). */
    boolean isMapped(long pageIdx) {
        if (data.lookup(pageIdx) >= 0) {
            return true;
        }
        if (cache != null) {
            synchronized (cacheLock) {
                return cache.lookup(pageIdx) >= 0;
            }
        }
        return false;
    }

    long pagesInUse() {
        return data.pool.pagesInUse();
    }
}
