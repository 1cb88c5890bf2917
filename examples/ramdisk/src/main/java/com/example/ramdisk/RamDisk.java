package com.example.ramdisk;

import java.nio.ByteBuffer;
import jblk.blockcore.BlkStatus;
import jblk.safety.Operations;
import jblk.safety.RequestRef;

/** A complete safe driver: a RAM disk (the example in jblk's docs/WRITING-A-DRIVER.md). */
public final class RamDisk implements Operations<Void, Void> {
    private final ByteBuffer data;

    public RamDisk(int bytes) {
        data = ByteBuffer.allocateDirect(bytes);
    }

    @Override
    public Void newRequestData(int hctxIdx) {
        return null; // no per-request state
    }

    @Override
    public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
        int pos = (int) (rq.sector() << 9);
        switch (rq.op()) {
            case READ -> rq.buffer().put(rq.bufOffset(), data, pos, rq.bytes());
            case WRITE -> data.put(pos, rq.buffer(), rq.bufOffset(), rq.bytes());
            case FLUSH -> { }
            default -> {
                return BlkStatus.NOTSUPP; // the binding ends it with this status
            }
        }
        rq.endOk(); // ENDED, or a refusal (already ended, stale, shared) that changed nothing
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
