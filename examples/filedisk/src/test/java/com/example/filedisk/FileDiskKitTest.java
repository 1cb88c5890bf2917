package com.example.filedisk;

import jblk.blockcore.ReqOp;
import jblk.testkit.DriverFactory;
import jblk.testkit.DriverKitTest;
import jblk.testkit.KitConfig;

/** The file disk through jblk's test kit, every op it serves claimed. */
class FileDiskKitTest extends DriverKitTest {
    @Override
    protected DriverFactory driver() {
        return FileDisk::new;
    }

    @Override
    protected KitConfig.Builder config(KitConfig.Builder b) {
        return b.ops(ReqOp.FLUSH, ReqOp.DISCARD, ReqOp.WRITE_ZEROES);
    }
}
