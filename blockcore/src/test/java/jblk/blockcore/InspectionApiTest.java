package jblk.blockcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The inspection API a driver's test reads instead of parsing sysfs/debugfs text. */
class InspectionApiTest {
    @Test
    void inFlightPerDirectionAndBusyTagsPerHwQueueFollowHeldRequests() throws Exception {
        TestDrivers.Holding ops = new TestDrivers.Holding();
        TagSet set = TagSet.builder(ops).nrHwQueues(2).nrCpuIds(2).queueDepth(8).build();
        GenDisk disk = TestDrivers.disk(set, "inspect0");
        try (SwQueue q0 = disk.openQueue(); SwQueue q1 = disk.openQueue()) {
            int h0 = q0.hctx(HctxType.DEFAULT).queueNum();
            int h1 = q1.hctx(HctxType.DEFAULT).queueNum();
            assertTrue(h0 != h1, "two submitters on two hw queues");
            TestDrivers.Done r = new TestDrivers.Done();
            TestDrivers.Done w1 = new TestDrivers.Done();
            TestDrivers.Done w2 = new TestDrivers.Done();
            q0.submitBio(TestDrivers.read(0, 4096, r));
            q1.submitBio(TestDrivers.write(8, 4096, w1));
            q1.submitBio(TestDrivers.write(16, 4096, w2));
            TestDrivers.awaitTrue("three requests held", () -> ops.held.size() == 3);

            assertEquals(1, disk.inFlightReads());
            assertEquals(2, disk.inFlightWrites());
            assertEquals(1, disk.busyTags(h0));
            assertEquals(2, disk.busyTags(h1));
            assertEquals(3, disk.stat(StatField.IN_FLIGHT));
            assertEquals(String.format("%8d %8d", 1, 2) + "\n", disk.inflight(), "the text agrees with the numbers");

            assertEquals(3, ops.endAll(BlkStatus.OK));
            w2.await();
            r.await();
            w1.await();
            assertEquals(0, disk.inFlightReads() + disk.inFlightWrites());
            assertEquals(0, disk.busyTags(h0) + disk.busyTags(h1));
            assertEquals(1, disk.stat(StatField.READ_IOS));
            assertEquals(8, disk.stat(StatField.READ_SECTORS));
            assertEquals(2, disk.stat(StatField.WRITE_IOS));
            assertEquals(16, disk.stat(StatField.WRITE_SECTORS));
            long[] f = disk.statFields();
            for (StatField s : StatField.values()) {
                assertEquals(f[s.index()], disk.stat(s), s.name());
            }
        } finally {
            TestDrivers.closeQuietly(set, disk);
        }
    }

    @Test
    void busyTagsNamesTheAllowedRange() {
        TagSet set = TagSet.builder(new TestDrivers.Inline()).nrHwQueues(2).queueDepth(8).build();
        GenDisk disk = TestDrivers.disk(set, "inspect1");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> disk.busyTags(2));
            assertEquals("hw queue 2 is out of range: allowed 0..1", e.getMessage());
        } finally {
            TestDrivers.closeQuietly(set, disk);
        }
    }
}
