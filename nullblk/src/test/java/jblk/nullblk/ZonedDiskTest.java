package jblk.nullblk;

import static jblk.nullblk.NullBlkTestSupport.io;
import static jblk.nullblk.NullBlkTestSupport.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.BlkZone;
import jblk.blockcore.BlkZoneCond;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Zone operations through the block layer, on both drivers: bio checks, append, write plugging. */
class ZonedDiskTest {
    private static final String DEV = "zoned=1 size=64 zone_size=4 zone_nr_conv=1 memory_backed=1";

    private static NullbDevice dev(DriverKind k, String extra) {
        return NullBlkTestSupport.powered("zd" + k.ordinal(), DEV + " " + extra, k,
                k == DriverKind.SAFE ? Ownership.CHECKED : Ownership.OFF);
    }

    private static BlkZone zone(GenDisk d, int i) {
        BlkZone[] z = new BlkZone[1];
        d.reportZones((long) i << 13, 1, (zone, idx) -> z[0] = zone);
        return z[0];
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void zoneManagementOpsReachTheDriver(DriverKind k) throws Exception {
        try (NullbDevice d = dev(k, "irqmode=1"); SwQueue q = d.disk().openQueue()) {
            assertEquals(BlkStatus.OK, NullBlkTestSupport.op(q, ReqOp.ZONE_OPEN, 8192, 0, 0));
            assertEquals(BlkZoneCond.EXP_OPEN, zone(d.disk(), 1).cond());
            assertEquals(BlkStatus.OK, NullBlkTestSupport.op(q, ReqOp.ZONE_FINISH, 8192, 0, 0));
            assertEquals(BlkZoneCond.FULL, zone(d.disk(), 1).cond());
            assertEquals(BlkStatus.OK, NullBlkTestSupport.op(q, ReqOp.ZONE_RESET, 8192, 0, 0));
            assertEquals(BlkZoneCond.EMPTY, zone(d.disk(), 1).cond());
            assertEquals(BlkStatus.IOERR, NullBlkTestSupport.op(q, ReqOp.ZONE_CLOSE, 8192, 0, 0), "EMPTY");
            assertEquals(BlkStatus.IOERR, NullBlkTestSupport.op(q, ReqOp.ZONE_RESET, 0, 0, 0), "conventional");
            assertEquals(BlkStatus.OK, NullBlkTestSupport.op(q, ReqOp.ZONE_RESET_ALL, 0, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void zoneAppendReturnsTheWrittenSectorInTheBio(DriverKind k) throws Exception {
        appendReturnsSector(k, "irqmode=1");
    }

    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void emulatedZoneAppendReturnsTheWrittenSectorInTheBio(DriverKind k) throws Exception {
        appendReturnsSector(k, "irqmode=2 completion_nsec=20000 zone_append_max_sectors=0");
    }

    private static void appendReturnsSector(DriverKind k, String extra) throws Exception {
        try (NullbDevice d = dev(k, extra); SwQueue q = d.disk().openQueue()) {
            byte[] a = pattern(1, 4096);
            byte[] b = pattern(2, 4096);
            Bio ba = new Bio();
            NullBlkTestSupport.Done da = new NullBlkTestSupport.Done();
            q.submitBio(ba.set(ReqOp.ZONE_APPEND, 16384, 4096, ByteBuffer.wrap(a), 0, 0, da));
            da.assertOnce(BlkStatus.OK);
            assertEquals(16384, ba.sector());
            assertEquals(ReqOp.ZONE_APPEND, ba.op(), "an emulated append is an append again at completion");
            Bio bb = new Bio();
            NullBlkTestSupport.Done db = new NullBlkTestSupport.Done();
            q.submitBio(bb.set(ReqOp.ZONE_APPEND, 16384, 4096, ByteBuffer.wrap(b), 0, 0, db));
            db.assertOnce(BlkStatus.OK);
            assertEquals(16384 + 8, bb.sector(), "the second append lands after the first");
            assertArrayEquals(a, NullBlkTestSupport.read(q, 16384, 4096));
            assertArrayEquals(b, NullBlkTestSupport.read(q, 16392, 4096));
            assertEquals(16384 + 16, zone(d.disk(), 2).wp());
        }
    }

    @Test
    void zoneAppendNotAtAZoneStartFailsWithIoerr() throws Exception {
        try (NullbDevice d = dev(DriverKind.RAW, "irqmode=0"); SwQueue q = d.disk().openQueue()) {
            NullBlkTestSupport.Done r = io(q, ReqOp.ZONE_APPEND, 16392, 4096, ByteBuffer.allocate(4096), 0, 0);
            assertEquals(BlkStatus.IOERR, r.status);
            assertTrue(r.detail.contains("not the start of a zone"), r.detail);
        }
    }

    @Test
    void zoneAppendAboveMaxAppendSectorsFailsWithIoerr() throws Exception {
        try (NullbDevice d = dev(DriverKind.SAFE, "irqmode=0 zone_append_max_sectors=8");
                SwQueue q = d.disk().openQueue()) {
            NullBlkTestSupport.Done r = io(q, ReqOp.ZONE_APPEND, 16384, 8192, ByteBuffer.allocate(8192), 0, 0);
            assertEquals(BlkStatus.IOERR, r.status);
            assertTrue(r.detail.contains("max_zone_append_sectors 8"), r.detail);
        }
    }

    @Test
    void zoneManagementOpNotAtAZoneStartIsInvalid() throws Exception {
        try (NullbDevice d = dev(DriverKind.SAFE, "irqmode=0"); SwQueue q = d.disk().openQueue()) {
            NullBlkTestSupport.Done r = io(q, ReqOp.ZONE_RESET, 8200, 0, null, 0, 0);
            assertEquals(BlkStatus.INVAL, r.status);
            assertTrue(r.detail.contains("allowed a multiple of 8192"), r.detail);
        }
    }

    @Test
    void zoneOpsOnAConventionalDiskAreNotSupported() throws Exception {
        try (NullbDevice d = NullBlkTestSupport.powered("zd9", "irqmode=0", DriverKind.SAFE, Ownership.CHECKED);
                SwQueue q = d.disk().openQueue()) {
            NullBlkTestSupport.Done r = io(q, ReqOp.ZONE_OPEN, 0, 0, null, 0, 0);
            assertEquals(BlkStatus.NOTSUPP, r.status);
            assertTrue(r.detail.contains("not a zoned disk"), r.detail);
            assertThrows(IllegalStateException.class, () -> d.disk().reportZones(0, 1, (z, i) -> { }));
        }
    }

    @Test
    void ioAcrossAZoneBoundaryIsInvalid() throws Exception {
        try (NullbDevice d = dev(DriverKind.RAW, "irqmode=0"); SwQueue q = d.disk().openQueue()) {
            NullBlkTestSupport.Done r = io(q, ReqOp.READ, 8188, 4096, ByteBuffer.allocate(4096), 0, 0);
            assertEquals(BlkStatus.INVAL, r.status);
            assertTrue(r.detail.contains("crosses a zone boundary"), r.detail);
        }
    }

    @Test
    void unalignedWriteIsRefusedAboveTheDriverNamingTheWritePointer() throws Exception {
        try (NullbDevice d = dev(DriverKind.SAFE, "irqmode=0"); SwQueue q = d.disk().openQueue()) {
            NullBlkTestSupport.write(q, 8192, pattern(3, 4096));
            NullBlkTestSupport.Done r = io(q, ReqOp.WRITE, 8192, 4096, ByteBuffer.allocate(4096), 0, 0);
            assertEquals(BlkStatus.IOERR, r.status);
            assertTrue(r.detail.contains("write pointer is at 8200"), r.detail);
            NullBlkTestSupport.write(q, 8200, pattern(4, 4096)); // and the zone still takes the right one
            assertEquals(8208, zone(d.disk(), 1).wp());
        }
    }

    /**
     * 256 writes in flight into one zone, completions delayed, every third request requeued by the
     * driver (which sends it behind later ones): the zone write plug keeps them in order.
     */
    @ParameterizedTest
    @EnumSource(DriverKind.class)
    void writePluggingKeepsQueueDepthWritesInOrder(DriverKind k) throws Exception {
        try (NullbDevice d = dev(k, "irqmode=2 completion_nsec=50000 requeue=3,100,0,-1");
                SwQueue q = d.disk().openQueue()) {
            int n = 256;
            List<NullBlkTestSupport.Done> done = new ArrayList<>();
            ByteBuffer data = ByteBuffer.allocate(n * 4096);
            data.put(pattern(5, n * 4096)).clear();
            for (int i = 0; i < n; i++) {
                done.add(NullBlkTestSupport.submit(q, ReqOp.WRITE, 16384 + i * 8L, 4096, data, i * 4096, 0));
            }
            for (NullBlkTestSupport.Done x : done) {
                x.assertOnce(BlkStatus.OK);
            }
            assertEquals(16384 + n * 8L, zone(d.disk(), 2).wp());
            assertArrayEquals(data.array(), readAll(q, 16384, n * 4096), "written in submission order");
        }
    }

    private static byte[] readAll(SwQueue q, long sector, int bytes) throws InterruptedException {
        byte[] out = new byte[bytes];
        for (int off = 0; off < bytes; off += 65536) {
            System.arraycopy(NullBlkTestSupport.read(q, sector + off / 512, 65536), 0, out, off, 65536);
        }
        return out;
    }

    @Test
    void resetAbortsWritesWaitingInTheZonePlug() throws Exception {
        try (NullbDevice d = dev(DriverKind.SAFE, "irqmode=2 completion_nsec=200000000");
                SwQueue q = d.disk().openQueue(); SwQueue q2 = d.disk().openQueue()) {
            NullBlkTestSupport.Done first = NullBlkTestSupport.submit(q, ReqOp.WRITE, 16384, 4096,
                    ByteBuffer.allocate(4096), 0, 0);
            NullBlkTestSupport.Done waiting = NullBlkTestSupport.submit(q, ReqOp.WRITE, 16392, 4096,
                    ByteBuffer.allocate(4096), 0, 0);
            assertEquals(1, d.disk().zones().pluggedWrites());
            NullBlkTestSupport.Done reset = NullBlkTestSupport.submit(q2, ReqOp.ZONE_RESET, 16384, 0, null, 0, 0);
            waiting.assertOnce(BlkStatus.IOERR);
            assertTrue(waiting.detail.contains("aborted"), waiting.detail);
            first.assertOnce(BlkStatus.OK);
            reset.assertOnce(BlkStatus.OK);
            assertEquals(0, d.disk().zones().pluggedWrites());
        }
    }

    @Test
    void closingTheDiskFailsWritesWaitingInAPlugExactlyOnce() throws Exception {
        NullbDevice d = dev(DriverKind.RAW, "irqmode=2 completion_nsec=100000000");
        SwQueue q = d.disk().openQueue();
        NullBlkTestSupport.Done first = NullBlkTestSupport.submit(q, ReqOp.WRITE, 16384, 4096,
                ByteBuffer.allocate(4096), 0, 0);
        NullBlkTestSupport.Done waiting = NullBlkTestSupport.submit(q, ReqOp.WRITE, 16392, 4096,
                ByteBuffer.allocate(4096), 0, 0);
        d.close();
        first.assertOnce(BlkStatus.OK);
        waiting.assertOnce(BlkStatus.IOERR);
        assertTrue(waiting.latch.await(1, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertEquals(1, waiting.calls.get());
    }

    @Test
    void configfsZoneReadonlyNeedsAPoweredZonedDevice() {
        NullbDevice plain = new NullbDevice("zd7", NullbParams.parse("size=64"), DriverKind.SAFE, Ownership.CHECKED);
        String m = assertThrows(IllegalArgumentException.class, () -> plain.set("zone_readonly", "0")).getMessage();
        assertTrue(m.contains("zoned=0"), m);
        NullbDevice z = new NullbDevice("zd8", NullbParams.parse(DEV), DriverKind.SAFE, Ownership.CHECKED);
        m = assertThrows(IllegalArgumentException.class, () -> z.set("zone_offline", "8192")).getMessage();
        assertTrue(m.contains("not powered"), m);
        z.power(true);
        z.set("zone_offline", "8192");
        assertEquals(BlkZoneCond.OFFLINE, zone(z.disk(), 1).cond());
        z.close();
    }
}
