package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bad-input table of issue 2 for bios. Convention (SwQueue.submitBio): caller bugs throw
 * IllegalArgumentException and submit nothing; what the device cannot serve completes the bio with
 * a status and an errorDetail; a closed disk throws IllegalStateException. After every bad bio the
 * disk keeps serving and holds no tag.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BioValidationTest {
    /** 64 MiB: 131072 sectors. */
    static final long CAP = 1 << 17;

    Inline drv;
    TagSet set;
    GenDisk disk;
    GenDisk disk4k;
    SwQueue q;
    SwQueue q4k;

    @BeforeEach
    void setUp() {
        drv = new Inline();
        set = TagSet.builder(drv).queueDepth(8).build();
        disk = GenDisk.builder(set).name("bio512").capacitySectors(CAP).build();
        disk4k = GenDisk.builder(set).name("bio4k").capacitySectors(CAP).logicalBlockSize(4096)
                .maxSectors(64).build();
        q = disk.openQueue();
        q4k = disk4k.openQueue();
    }

    @AfterEach
    void tearDown() {
        q.close();
        q4k.close();
        closeQuietly(set, disk, disk4k);
    }

    /** The disk still serves a good bio, and no tag is held, after a bad one. */
    private void stillServes(GenDisk d, SwQueue sq) throws InterruptedException {
        assertEquals(0, busyTags(d), "a tag was left allocated by a refused bio");
        int before = drv.calls.get();
        readOk(sq, 0);
        assertEquals(before + 1, drv.calls.get());
        assertEquals(0, busyTags(d));
    }

    /** Submits {@code b}; expects it completed at once with {@code st} and a detail containing each word. */
    private Done expectStatus(GenDisk d, SwQueue sq, Bio b, BlkStatus st, String... words) throws InterruptedException {
        Done done = new Done();
        b.endIo(done);
        int before = drv.calls.get();
        sq.submitBio(b);
        assertTrue(done.done(), "a refused bio completes before submitBio returns");
        assertEquals(1, done.calls.get());
        assertEquals(st, done.status, "status for " + b + "; detail: " + done.detail);
        assertNotNull(done.detail, "errorDetail must say why");
        for (String w : words) {
            assertTrue(done.detail.contains(w), "detail '" + done.detail + "' should mention '" + w + "'");
        }
        assertEquals(0, done.bytesDone);
        assertEquals(before, drv.calls.get(), "a refused bio must not reach the driver");
        stillServes(d, sq);
        return done;
    }

    private void expectIae(GenDisk d, SwQueue sq, Bio b, String... words) throws InterruptedException {
        int before = drv.calls.get();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sq.submitBio(b));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message '" + e.getMessage() + "' should mention '" + w + "'");
        }
        assertEquals(before, drv.calls.get());
        stillServes(d, sq);
    }

    // ---- device-relative errors: the bio completes with a status --------------------------------

    @Test
    void sectorPastCapacityIsIoerr() throws Exception {
        Done d = expectStatus(disk, q, read(CAP, 512, null), BlkStatus.IOERR, "sector", String.valueOf(CAP),
                "capacity");
        assertTrue(d.detail.contains("0.." + (CAP - 1)), "detail names the allowed range: " + d.detail);
        expectStatus(disk, q, read(CAP + 1000, 4096, null), BlkStatus.IOERR, "sector");
    }

    @Test
    void sectorPlusLengthPastCapacityIsIoerr() throws Exception {
        expectStatus(disk, q, write(CAP - 4, 4096, null), BlkStatus.IOERR, "sector", "capacity");
        // the last whole block is fine
        Done ok = new Done();
        q.submitBio(write(CAP - 8, 4096, ok));
        ok.await();
        assertEquals(BlkStatus.OK, ok.status);
    }

    @Test
    void aReusedBioReportsTheOutcomeOfItsLastIoOnly() throws Exception {
        // Bio.complete writes only changed fields: a refusal's status, zero bytes and detail must
        // not survive into the next, successful I/O of the same bio, nor the reverse.
        Done refused = new Done();
        Bio b = read(CAP, 4096, refused);
        q.submitBio(b);
        assertEquals(BlkStatus.IOERR, refused.await().status);
        assertEquals(0, refused.bytesDone);
        assertNotNull(refused.detail);
        Done ok = new Done();
        q.submitBio(b.sector(8).endIo(ok));
        assertEquals(BlkStatus.OK, ok.await().status);
        assertEquals(4096, ok.bytesDone);
        assertNull(ok.detail, "the refusal's detail must not survive into a successful I/O");
        Done smaller = new Done();
        q.submitBio(b.size(512).endIo(smaller));
        assertEquals(512, smaller.await().bytesDone);
        Done again = new Done();
        q.submitBio(b.sector(CAP).endIo(again));
        assertEquals(BlkStatus.IOERR, again.await().status);
        assertEquals(0, again.bytesDone);
    }

    @Test
    void hugeSectorDoesNotOverflowTheCapacityCheck() throws Exception {
        // sector + nr_sectors overflows a long: the kernel's bio_check_eod is written to avoid that
        expectStatus(disk, q, read(Long.MAX_VALUE - 3, 4096, null), BlkStatus.IOERR, "sector");
    }

    @Test
    void negativeSectorIsRefused() throws Exception {
        Done d = new Done();
        q.submitBio(read(-8, 4096, d));
        assertTrue(d.done());
        assertNotEquals(BlkStatus.OK, d.status);
        assertNotNull(d.detail);
        assertTrue(d.detail.contains("sector"), d.detail);
        stillServes(disk, q);
    }

    @Test
    void lengthZeroIsInval() throws Exception {
        expectStatus(disk, q, read(0, 0, null), BlkStatus.INVAL, "size 0", "512");
        expectStatus(disk, q, write(0, 0, null), BlkStatus.INVAL, "size 0");
    }

    @Test
    void lengthNotMultipleOfLogicalBlockIsInval() throws Exception {
        expectStatus(disk, q, read(0, 1000, null), BlkStatus.INVAL, "size 1000", "logical block size 512");
        expectStatus(disk4k, q4k, write(0, 512, null), BlkStatus.INVAL, "size 512", "logical block size 4096");
        expectStatus(disk4k, q4k, write(0, 6144, null), BlkStatus.INVAL, "6144", "4096");
    }

    @Test
    void misalignedSectorIsInval() throws Exception {
        expectStatus(disk4k, q4k, read(1, 4096, null), BlkStatus.INVAL, "sector 1", "4096");
        expectStatus(disk4k, q4k, write(12, 4096, null), BlkStatus.INVAL, "sector 12");
        Done ok = new Done();
        q4k.submitBio(write(16, 4096, ok));
        ok.await();
        assertEquals(BlkStatus.OK, ok.status, "an aligned 4k write: " + ok.detail);
    }

    @Test
    void lengthAboveMaxSectorsIsInval() throws Exception {
        int max = disk.limits().maxSectors();
        assertEquals(QueueLimits.SAFE_MAX_SECTORS, max, "default max_sectors");
        expectStatus(disk, q, write(0, (max + 1) << 9, null), BlkStatus.INVAL, String.valueOf(max + 1),
                "limit of " + max);
        Done ok = new Done();
        q.submitBio(write(0, max << 9, ok));
        ok.await();
        assertEquals(BlkStatus.OK, ok.status, "a bio of exactly max_sectors: " + ok.detail);

        assertEquals(64, disk4k.limits().maxSectors());
        expectStatus(disk4k, q4k, read(0, 72 << 9, null), BlkStatus.INVAL, "72 sectors", "limit of 64");
    }

    @Test
    void discardWithoutSupportIsNotsupp() throws Exception {
        Bio b = new Bio().set(ReqOp.DISCARD, 0, 4096, null, 0, 0, null);
        expectStatus(disk, q, b, BlkStatus.NOTSUPP, "DISCARD");
        Bio wz = new Bio().set(ReqOp.WRITE_ZEROES, 0, 4096, null, 0, 0, null);
        expectStatus(disk, q, wz, BlkStatus.NOTSUPP, "WRITE_ZEROES");
    }

    @Test
    void discardAboveItsLimitIsInval() throws Exception {
        GenDisk d = GenDisk.builder(set).name("bioDiscard").capacitySectors(CAP).maxDiscardSectors(16).build();
        try (SwQueue dq = d.openQueue()) {
            Done ok = new Done();
            dq.submitBio(new Bio().set(ReqOp.DISCARD, 0, 16 << 9, null, 0, 0, ok));
            ok.await();
            assertEquals(BlkStatus.OK, ok.status, "discard within the limit: " + ok.detail);
            expectStatus(d, dq, new Bio().set(ReqOp.DISCARD, 0, 17 << 9, null, 0, 0, null), BlkStatus.INVAL,
                    "limit of 16");
        } finally {
            d.close();
        }
    }

    // ---- caller bugs: IllegalArgumentException ------------------------------------------------------

    @Test
    void missingBufferThrows() throws Exception {
        expectIae(disk, q, new Bio().set(ReqOp.READ, 0, 4096, null, 0, 0, new Done()), "buffer");
        expectIae(disk, q, new Bio().set(ReqOp.WRITE, 0, 4096, null, 0, 0, new Done()), "buffer");
    }

    @Test
    void tooSmallBufferThrows() throws Exception {
        ByteBuffer small = ByteBuffer.allocate(2048);
        expectIae(disk, q, new Bio().set(ReqOp.READ, 0, 4096, small, 0, 0, new Done()), "buffer", "2048");
        ByteBuffer exact = ByteBuffer.allocate(4096);
        expectIae(disk, q, new Bio().set(ReqOp.WRITE, 0, 4096, exact, 512, 0, new Done()), "buffer");
        expectIae(disk, q, new Bio().set(ReqOp.WRITE, 0, 4096, exact, -1, 0, new Done()), "buffer");
        // offset + size exactly fits
        Done ok = new Done();
        q.submitBio(new Bio().set(ReqOp.WRITE, 0, 2048, exact, 2048, 0, ok));
        ok.await();
        assertEquals(BlkStatus.OK, ok.status);
    }

    @Test
    void readIntoReadOnlyBufferThrows() throws Exception {
        ByteBuffer ro = ByteBuffer.allocate(4096).asReadOnlyBuffer();
        expectIae(disk, q, new Bio().set(ReqOp.READ, 0, 4096, ro, 0, 0, new Done()), "read-only");
        // writing from a read-only buffer is fine
        Done ok = new Done();
        q.submitBio(new Bio().set(ReqOp.WRITE, 0, 4096, ro, 0, 0, ok));
        ok.await();
        assertEquals(BlkStatus.OK, ok.status);
    }

    @Test
    void flushWithDataThrows() throws Exception {
        expectIae(disk, q, new Bio().set(ReqOp.FLUSH, 0, 4096, ByteBuffer.allocate(4096), 0, 0, new Done()),
                "FLUSH", "4096");
    }

    @Test
    void unknownFlagsThrow() throws Exception {
        expectIae(disk, q, read(0, 4096, new Done()).flags(1 << 20), "flags", "0x100000");
        expectIae(disk, q, read(0, 4096, new Done()).flags(-1), "flags");
    }

    @Test
    void nullCallbackOrBioOrOpThrows() throws Exception {
        expectIae(disk, q, read(0, 4096, null), "end_io");
        assertThrows(IllegalArgumentException.class, () -> q.submitBio(null));
        expectIae(disk, q, read(0, 4096, new Done()).op(null), "op");
        expectIae(disk, q, read(0, 4096, new Done()).size(-4096), "size");
    }

    // ---- flush without a write cache, and after close --------------------------------------------

    @Test
    void flushWithoutWriteCacheCompletesAtOnce() throws Exception {
        Done d = new Done();
        q.submitBio(new Bio().set(ReqOp.FLUSH, 0, 0, null, 0, 0, d));
        assertTrue(d.done());
        assertEquals(BlkStatus.OK, d.status);
        assertEquals(0, drv.calls.get(), "nothing to flush: the driver is not called");
    }

    @Test
    void submitAfterCloseThrowsIllegalState() throws Exception {
        disk.close();
        Done d = new Done();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.submitBio(read(0, 4096, d)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(0, d.calls.get(), "a refused bio's callback does not run");
        assertThrows(IllegalStateException.class, () -> disk.openQueue());
        // the other disk on the set keeps serving
        readOk(q4k, 0);
    }

    @Test
    void submitOnClosedSoftwareQueueThrows() throws Exception {
        SwQueue other = disk.openQueue();
        other.close();
        assertTrue(other.isClosed());
        assertThrows(IllegalStateException.class, () -> other.submitBio(read(0, 4096, new Done())));
        stillServes(disk, q);
    }

    @Test
    void badBiosInARowLeaveTheDiskServing() throws Exception {
        for (int i = 0; i < 100; i++) {
            Done d = new Done();
            q.submitBio(read(CAP + i, 4096, d));
            assertEquals(BlkStatus.IOERR, d.status);
            assertThrows(IllegalArgumentException.class, () -> q.submitBio(read(0, 4096, null)));
        }
        stillServes(disk, q);
        assertEquals(1, drv.calls.get());
    }
}
