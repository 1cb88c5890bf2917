package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZone;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.ReqOp;

/**
 * The zoned engine alone, driven as null_blk's queue_rq drives it (no block layer above, so no
 * zone write plug hides the driver's own checks): one command at a time, synchronously.
 */
final class ZoneRig {
    final NullBlkEngine engine;
    final ZonedDevice dev;
    final long zs;
    /** Where the last append wrote (NullCmd.appendSector), -1 if none. */
    long appended = -1;
    /** Bytes a partial write moved (NullCmd.partialBytes). */
    int partial = -1;

    ZoneRig(String params) {
        NullbParams p = NullbParams.parse(params);
        MemoryBacking mem = p.memoryBacked()
                ? new MemoryBacking(new PagePool(PagePool.defaultBudget()), p.capacitySectors() << 9, 0) : null;
        BadBlocks bb = new BadBlocks();
        if (!p.badblocks().isEmpty()) {
            bb.apply("badblocks", p.badblocks());
        }
        this.engine = new NullBlkEngine("zrig", p, mem, bb, new Random(1));
        this.dev = engine.zoned;
        this.zs = dev.cfg.zoneSectors();
    }

    long start(int zone) {
        return zone * zs;
    }

    BlkStatus cmd(ReqOp op, long sector, int sectors, ByteBuffer buf) {
        NullCmd c = new NullCmd();
        BlkStatus st = engine.processCmd(c, op, sector, sectors << 9, buf, 0, 0);
        appended = c.appendSector;
        partial = c.partialBytes;
        return st;
    }

    BlkStatus write(long sector, int sectors) {
        return cmd(ReqOp.WRITE, sector, sectors, ByteBuffer.allocate(sectors << 9));
    }

    BlkStatus write(long sector, byte[] data) {
        return cmd(ReqOp.WRITE, sector, data.length >>> 9, ByteBuffer.wrap(data));
    }

    BlkStatus append(int zone, int sectors) {
        return cmd(ReqOp.ZONE_APPEND, start(zone), sectors, ByteBuffer.allocate(sectors << 9));
    }

    BlkStatus mgmt(ReqOp op, int zone) {
        return cmd(op, op == ReqOp.ZONE_RESET_ALL ? 0 : start(zone), 0, null);
    }

    byte[] read(long sector, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        for (int i = 0; i < bytes; i++) {
            b.put(i, (byte) 0x5a); // poison: zero-fill must overwrite it
        }
        assertEquals(BlkStatus.OK, cmd(ReqOp.READ, sector, bytes >>> 9, b));
        return b.array();
    }

    BlkZone zone(int i) {
        BlkZone[] z = new BlkZone[1];
        dev.reportZones(start(i), 1, (zone, idx) -> z[0] = zone);
        return z[0];
    }

    BlkZoneCond cond(int i) {
        return zone(i).cond();
    }

    long wp(int i) {
        return zone(i).wp();
    }

    /** {imp_open, exp_open, closed}. */
    int[] counters() {
        return dev.counters();
    }

    void assertCounters(int imp, int exp, int closed) {
        int[] c = counters();
        assertEquals(imp + "/" + exp + "/" + closed, c[0] + "/" + c[1] + "/" + c[2],
                "nr_zones imp_open/exp_open/closed");
    }
}
