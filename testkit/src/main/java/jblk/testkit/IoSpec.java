package jblk.testkit;

import jblk.blockcore.ReqOp;

/** One planned I/O of the seeded workload: op, sector range, and whether a plugged burst starts here. */
record IoSpec(ReqOp op, int start, int sectors, boolean plug) {
    @Override
    public String toString() {
        return op == ReqOp.FLUSH ? "FLUSH" : op + " sector " + start + " +" + sectors;
    }
}
