package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.assertReads;
import static jblk.nullblk.NullBlkTestSupport.pattern;
import static jblk.nullblk.NullBlkTestSupport.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jblk.blockcore.SwQueue;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The init_hctx fault: power-on fails cleanly; a live submit_queues change fails and rolls back. */
class InitHctxFaultTest {

    private static Ownership own(DriverKind kind) {
        return kind == DriverKind.RAW ? Ownership.OFF : Ownership.CHECKED;
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void powerOnFailsCleanlyAndTheDeviceCanBeFixed(DriverKind kind) throws Exception {
        try (NullbDevice dev = new NullbDevice("nullb0",
                NullbParams.parse("size=4 poll_queues=0 memory_backed=1 init_hctx=1,100,0,1"), kind, own(kind))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> dev.power(true));
            assertTrue(e.getMessage().contains("init_hctx fault injected"), e.getMessage());
            assertTrue(e.getMessage().contains("nullb0"), e.getMessage());
            assertFalse(dev.isPowered());
            assertEquals("0", dev.get("power"));
            assertThrows(IllegalStateException.class, dev::disk);

            dev.set("init_hctx", "");
            dev.power(true);
            try (SwQueue q = dev.disk().openQueue()) {
                write(q, 0, pattern(1, 4096));
                assertReads(q, 0, pattern(1, 4096));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void moduleLoadFailsCleanly(DriverKind kind) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NullBlkModule.load("nr_devices=2 size=4 poll_queues=0 init_hctx=1,100,0,-1", kind, own(kind)));
        assertTrue(e.getMessage().contains("init_hctx fault injected"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void submitQueuesChangeFailsAndRollsBack(DriverKind kind) throws Exception {
        // space 2: the first init_hctx (power-on, one queue) passes, the second fails, once.
        try (NullbDevice dev = NullBlkTestSupport.powered("nullb0",
                "size=4 poll_queues=0 submit_queues=1 memory_backed=1 init_hctx=1,100,2,1", kind, own(kind))) {
            try (SwQueue q = dev.disk().openQueue()) {
                write(q, 8, pattern(2, 4096));
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> dev.set("submit_queues", "2"));
            assertTrue(e.getMessage().contains("init_hctx fault injected"), e.getMessage());
            assertEquals(1, dev.disk().nrHwQueues(), "rolled back to the previous count");
            assertEquals("1", dev.get("submit_queues"));
            try (SwQueue q = dev.disk().openQueue()) {
                assertReads(q, 8, pattern(2, 4096));
                write(q, 16, pattern(3, 4096));
            }
            dev.set("submit_queues", "2"); // the fault fired its one time
            assertEquals(2, dev.disk().nrHwQueues());
            try (SwQueue q = dev.disk().openQueue()) {
                assertReads(q, 16, pattern(3, 4096));
            }
            assertEquals(1, dev.engine().faultCounts()[2]);
        }
    }
}
