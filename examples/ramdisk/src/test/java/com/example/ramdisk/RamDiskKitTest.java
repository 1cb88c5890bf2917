package com.example.ramdisk;

import jblk.testkit.DriverFactory;
import jblk.testkit.DriverKitTest;

/** The RAM disk through jblk's test kit: data, faults, the buggy wrapper, the leak check. */
class RamDiskKitTest extends DriverKitTest {
    @Override
    protected DriverFactory driver() {
        return bytes -> new RamDisk((int) bytes);
    }
}
