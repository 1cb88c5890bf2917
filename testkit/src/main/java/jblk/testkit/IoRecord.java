package jblk.testkit;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import jblk.blockcore.ReqOp;

/**
 * One bio's life in a kit run: what was submitted (by which submitter, as which I/O of its plan),
 * where the driver got it (hw queue and tag, seen by the kit's wrapper), and how often it completed.
 */
final class IoRecord {
    final String submitter;
    final int index;
    final ReqOp op;
    final int start;
    final int sectors;
    /** The write's sequence number (stamped into each sector); 0 for other ops. */
    final long seq;
    final ByteBuffer buf;
    final AtomicInteger completions = new AtomicInteger();
    volatile int hctx = -1;
    volatile int tag = -1;
    /** The kit's wrapper kept the request from the driver (a lost request, ended by the timeout). */
    volatile boolean lostByKit;

    IoRecord(String submitter, int index, IoSpec spec, long seq, ByteBuffer buf) {
        this.submitter = submitter;
        this.index = index;
        this.op = spec.op();
        this.start = spec.start();
        this.sectors = spec.sectors();
        this.seq = seq;
        this.buf = buf;
    }

    /** "WRITE sector 1032 +8 (submitter 1, I/O #123, hctx1 tag 3)". */
    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(op);
        if (op != ReqOp.FLUSH) {
            sb.append(" sector ").append(start).append(" +").append(sectors);
        }
        if (seq != 0) {
            sb.append(" (write #").append(seq).append(')');
        }
        sb.append(" [").append(submitter).append(", I/O #").append(index);
        if (hctx >= 0) {
            sb.append(", hctx").append(hctx).append(" tag ").append(tag);
        }
        return sb.append(']').toString();
    }
}
