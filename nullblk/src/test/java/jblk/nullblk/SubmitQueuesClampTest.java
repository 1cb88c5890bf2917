package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.*;

import jblk.blockcore.GenDisk;
import jblk.blockcore.HctxType;
import jblk.blockcore.HwQueue;
import jblk.blockcore.SwQueue;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * null_blk with more submit_queues than CPUs: cut to nr_cpu_ids when the device is created
 * ({@code null_validate_conf}), refused with EINVAL while it is powered
 * ({@code nullb_update_nr_hw_queues}); so no hardware queue is left without a submitter.
 */
class SubmitQueuesClampTest {

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void submitQueuesAreCutToNrCpuIds(DriverKind kind) throws Exception {
        try (NullbDevice dev = new NullbDevice("nullb0", NullbParams.parse("submit_queues=4 poll_queues=0 size=4"),
                kind, Ownership.CHECKED).nrCpuIds(2)) {
            dev.power(true);
            GenDisk disk = dev.disk();
            assertEquals(2, disk.nrHwQueues(), "submit_queues=4 on 2 CPUs gives 2 hardware queues");
            assertEquals("2", dev.get("submit_queues"), "configfs shows the value in use, as the kernel's does");
            try (SwQueue c0 = disk.openQueue(); SwQueue c1 = disk.openQueue()) {
                assertEquals(0, c0.hctx(HctxType.DEFAULT).queueNum());
                assertEquals(1, c1.hctx(HctxType.DEFAULT).queueNum());
                for (HwQueue h : disk.hwQueues()) {
                    assertEquals(0, h.state() & HwQueue.INACTIVE, h + " is mapped: every queue has a submitter");
                }
                NullBlkTestSupport.read(c0, 0, 4096);
                NullBlkTestSupport.read(c1, 8, 4096);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> dev.set("submit_queues", "3"));
            assertTrue(e.getMessage().contains("submit_queues=3") && e.getMessage().contains("1..2")
                    && e.getMessage().contains("nr_cpu_ids"), e.getMessage());
            assertEquals(2, disk.nrHwQueues(), "a refused value changes nothing");
            dev.set("submit_queues", "1");
            assertEquals(1, disk.nrHwQueues());
        }
    }
}
