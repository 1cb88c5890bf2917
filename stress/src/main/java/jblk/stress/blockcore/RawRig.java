package jblk.stress.blockcore;

import java.time.Duration;
import jblk.blockcore.BlkMqOps;
import jblk.blockcore.GenDisk;
import jblk.blockcore.SwQueue;
import jblk.blockcore.TagSet;

/**
 * A real blockcore disk on a raw {@link BlkMqOps} driver, built once per test class and fork and
 * shared by every jcstress sample (a disk starts threads; a sample must cost microseconds). Each
 * thread submits through its own software queue.
 */
final class RawRig {
    final TagSet set;
    final GenDisk disk;
    private final ThreadLocal<SwQueue> ctx;

    RawRig(String name, BlkMqOps ops, int depth) {
        this.set = TagSet.builder(ops).nrHwQueues(1).queueDepth(depth).timeout(Duration.ofHours(1)).build();
        this.disk = GenDisk.builder(set).name(name).capacitySectors(1L << 20).iostats(false).build();
        this.ctx = ThreadLocal.withInitial(disk::openQueue);
    }

    SwQueue ctx() {
        return ctx.get();
    }
}
