package com.example.buggydisk;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jblk.blockcore.BlkStatus;
import jblk.safety.Operations;
import jblk.safety.RequestRef;

/**
 * A deliberately buggy RAM disk with a write-back cache, to show what jblk's test kit reports.
 * Bug 1: a write only lands in the cache, and reads never look there, so a read before the next
 * FLUSH returns older data (a stale or lost write). Bug 2: FLUSH ends its request twice.
 */
public final class BuggyDisk implements Operations<Void, Void> {
    private final ByteBuffer data;
    private final Map<Long, byte[]> cache = new ConcurrentHashMap<>(); // sector -> 512 bytes not yet written back

    public BuggyDisk(int bytes) {
        data = ByteBuffer.allocateDirect(bytes);
    }

    @Override
    public Void newRequestData(int hctxIdx) {
        return null;
    }

    @Override
    public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
        int pos = (int) (rq.sector() << 9);
        switch (rq.op()) {
            case READ -> rq.buffer().put(rq.bufOffset(), data, pos, rq.bytes()); // BUG 1: the cache is not read
            case WRITE -> {
                for (int i = 0; i < rq.sectors(); i++) {
                    byte[] s = new byte[512];
                    rq.buffer().get(rq.bufOffset() + i * 512, s);
                    cache.put(rq.sector() + i, s);
                }
            }
            case FLUSH -> {
                cache.forEach((sector, s) -> {
                    data.put((int) (sector << 9), s);
                    cache.remove(sector, s);
                });
                rq.endOk(); // BUG 2: ended here and again below
            }
            default -> {
                return BlkStatus.NOTSUPP;
            }
        }
        rq.endOk();
        return BlkStatus.OK;
    }

    @Override
    public void commitRqs(Void hw) {
    }

    @Override
    public void complete(RequestRef<Void> rq) {
        rq.endOk();
    }
}
