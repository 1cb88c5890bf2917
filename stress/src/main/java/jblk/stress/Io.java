package jblk.stress;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import jblk.blockcore.Bio;
import jblk.blockcore.ReqOp;
import jblk.testkit.Stamp;

/** One torture I/O: its bio, range and buffer, the write sequence it stamped, and its completions. */
final class Io {
    final Submitter owner;
    final ReqOp op;
    final int sector;
    final int sectors;
    final ByteBuffer buf;
    final long seq;
    final Bio bio;
    final AtomicInteger completions = new AtomicInteger();

    Io(Submitter owner, ReqOp op, int sector, int sectors, int flags, ByteBuffer buf, long seq) {
        this.owner = owner;
        this.op = op;
        this.sector = sector;
        this.sectors = sectors;
        this.buf = buf;
        this.seq = seq;
        int bytes = op == ReqOp.FLUSH ? 0 : sectors * Stamp.SECTOR;
        this.bio = new Bio().set(op, sector, bytes, op.hasData() ? buf : null, 0, flags, Io::endIo).privateData(this);
    }

    private static void endIo(Bio bio) {
        Io io = (Io) bio.privateData();
        io.owner.run.completed(io);
    }

    boolean hasRange() {
        return op != ReqOp.FLUSH;
    }

    @Override
    public String toString() {
        return op + " sectors " + sector + ".." + (sector + sectors - 1) + (seq > 0 ? " seq " + seq : "");
    }
}
