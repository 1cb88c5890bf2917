package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.pattern;
import static jblk.nullblk.NullBlkTestSupport.read;
import static jblk.nullblk.NullBlkTestSupport.submit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.ElevatorType;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.NullBlkTestSupport.Done;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** null_blk and the I/O scheduler: the kernel's default, no_sched, and data through mq-deadline. */
class NullBlkSchedulerTest {

    @ParameterizedTest
    @CsvSource({"raw,off,'',mq-deadline,128", "safe,checked,'',mq-deadline,128",
        "raw,off,no_sched=1,none,64", "safe,checked,no_sched=1,none,64",
        "raw,off,submit_queues=2,none,64", "safe,checked,submit_queues=2,none,64",
        "raw,off,hw_queue_depth=256,mq-deadline,256"})
    void theDefaultIsTheKernels(String drv, String own, String params, String sched, int nrRequests) {
        try (NullBlkModule m = NullBlkModule.load("poll_queues=0 " + params, DriverKind.parse(drv),
                Ownership.parse(own))) {
            GenDisk disk = m.device(0).disk();
            assertEquals(ElevatorType.byName(sched), disk.scheduler(), params);
            assertEquals(Integer.toString(nrRequests), disk.sysfsQueue().get("nr_requests"), params);
            String shown = sched.equals("none") ? "[none] mq-deadline" : "[mq-deadline] none";
            assertEquals(shown, disk.sysfsQueue().get("scheduler"));
        }
    }

    /** Many writes in flight, reordered by the scheduler, each to its own block: every block reads back. */
    @ParameterizedTest
    @CsvSource({"raw,off,0", "raw,off,1", "safe,checked,1", "safe,debug,2"})
    void dataWrittenThroughMqDeadlineReadsBack(String drv, String own, int irqmode) throws Exception {
        try (NullBlkModule m = NullBlkModule.load("size=8 memory_backed=1 poll_queues=0 hw_queue_depth=16"
                + " completion_nsec=20000 irqmode=" + irqmode, DriverKind.parse(drv), Ownership.parse(own))) {
            GenDisk disk = m.device(0).disk();
            assertEquals(ElevatorType.MQ_DEADLINE, disk.scheduler());
            List<Integer> blocks = new ArrayList<>();
            for (int b = 0; b < 512; b++) {
                blocks.add(b);
            }
            Collections.shuffle(blocks, new java.util.Random(14));
            try (SwQueue q = disk.openQueue()) {
                List<Done> done = new ArrayList<>();
                q.startPlug(); // batches of 32 go to the scheduler at once
                for (int b : blocks) {
                    byte[] data = pattern(b, 4096);
                    done.add(submit(q, ReqOp.WRITE, b * 8L, 4096, ByteBuffer.wrap(data), 0, 0));
                }
                q.finishPlug();
                for (Done d : done) {
                    d.assertOnce(BlkStatus.OK);
                }
                for (int b = 0; b < 512; b++) {
                    assertArrayEquals(pattern(b, 4096), read(q, b * 8L, 4096), "block " + b);
                }
            }
        }
    }
}
