package jblk.nullblk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jblk.blockcore.GenDisk;

/**
 * The devices one null_blk driver instance serves, by disk name: what the kernel reaches through
 * {@code hctx->queue->queuedata} (several devices share one driver with shared_tags). Looked up
 * once per hardware queue, when it is set up, not per request.
 */
final class NullbDevices {
    private final Map<String, NullBlkEngine> byName = new ConcurrentHashMap<>();

    void register(NullBlkEngine e) {
        byName.put(e.name, e);
    }

    void unregister(NullBlkEngine e) {
        if (e != null) {
            byName.remove(e.name, e);
        }
    }

    NullBlkEngine get(GenDisk disk) {
        NullBlkEngine e = byName.get(disk.name());
        if (e == null) {
            throw new IllegalStateException("null_blk has no device " + disk.name());
        }
        return e;
    }
}
