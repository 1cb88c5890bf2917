package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** BlkStatus codes and errno mapping, and statuses a driver returns or ends requests with. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatusTest {

    @Test
    void kernelCodesAndErrnos() {
        assertEquals(0, BlkStatus.OK.code());
        assertEquals(0, BlkStatus.OK.errno());
        assertEquals(1, BlkStatus.NOTSUPP.code());
        assertEquals(95, BlkStatus.NOTSUPP.errno());
        assertEquals(2, BlkStatus.TIMEOUT.code());
        assertEquals(110, BlkStatus.TIMEOUT.errno());
        assertEquals(3, BlkStatus.NOSPC.code());
        assertEquals(28, BlkStatus.NOSPC.errno());
        assertEquals(9, BlkStatus.RESOURCE.code());
        assertEquals(12, BlkStatus.RESOURCE.errno());
        assertEquals(10, BlkStatus.IOERR.code());
        assertEquals(5, BlkStatus.IOERR.errno());
        assertEquals(12, BlkStatus.AGAIN.code());
        assertEquals(11, BlkStatus.AGAIN.errno());
        assertEquals(13, BlkStatus.DEV_RESOURCE.code());
        assertEquals(16, BlkStatus.DEV_RESOURCE.errno());
        assertEquals(16, BlkStatus.OFFLINE.code());
        assertEquals(19, BlkStatus.OFFLINE.errno());
        assertEquals(19, BlkStatus.INVAL.code());
        assertEquals(22, BlkStatus.INVAL.errno());
        assertEquals("I/O", BlkStatus.IOERR.description());
        assertTrue(BlkStatus.OK.isOk());
        assertFalse(BlkStatus.IOERR.isOk());
    }

    @Test
    void codesAreDistinct() {
        Set<Integer> codes = new HashSet<>();
        for (BlkStatus s : BlkStatus.values()) {
            assertTrue(codes.add(s.code()), "duplicate code " + s.code() + " for " + s);
        }
    }

    @Test
    void fromErrno() {
        assertEquals(BlkStatus.OK, BlkStatus.fromErrno(0));
        assertEquals(BlkStatus.IOERR, BlkStatus.fromErrno(5));
        assertEquals(BlkStatus.IOERR, BlkStatus.fromErrno(-5));
        assertEquals(BlkStatus.DEV_RESOURCE, BlkStatus.fromErrno(-16));
        assertEquals(BlkStatus.INVAL, BlkStatus.fromErrno(22));
        assertEquals(BlkStatus.NOTSUPP, BlkStatus.fromErrno(-95));
        assertEquals(BlkStatus.AGAIN, BlkStatus.fromErrno(11));
        assertEquals(BlkStatus.TIMEOUT, BlkStatus.fromErrno(110));
        // errnos the table does not name map to IOERR, as in the kernel
        assertEquals(BlkStatus.IOERR, BlkStatus.fromErrno(Errno.EPERM));
        assertEquals(BlkStatus.IOERR, BlkStatus.fromErrno(9999));
        assertEquals(BlkStatus.IOERR, BlkStatus.fromErrno(Errno.ESHUTDOWN));
        // every non-OK status round-trips through its errno
        for (BlkStatus s : BlkStatus.values()) {
            assertEquals(s, BlkStatus.fromErrno(s.errno()), "round trip of " + s);
            assertEquals(s, BlkStatus.fromErrno(-s.errno()), "round trip of -" + s);
        }
    }

    /** A driver that returns a fixed status from queueRq without ending the request. */
    static final class Returning implements BlkMqOps {
        volatile BlkStatus ret;
        volatile boolean start;

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            if (start) {
                BlkMq.startRequest(rq);
            }
            if (ret == BlkStatus.OK) {
                BlkMq.startRequest(rq);
                BlkMq.endRequest(rq, BlkStatus.OK);
            }
            return ret;
        }
    }

    @Test
    void statusReturnedFromQueueRqEndsTheBioOnce() throws Exception {
        Returning drv = new Returning();
        TagSet set = set(drv);
        GenDisk disk = disk(set, "status0");
        try (SwQueue q = disk.openQueue()) {
            EnumSet<BlkStatus> errs = EnumSet.complementOf(
                    EnumSet.of(BlkStatus.OK, BlkStatus.RESOURCE, BlkStatus.DEV_RESOURCE));
            for (boolean start : new boolean[] {false, true}) {
                drv.start = start;
                for (BlkStatus st : errs) {
                    drv.ret = st;
                    Done d = new Done();
                    q.submitBio(write(8, 4096, d));
                    d.await();
                    assertEquals(st, d.status, "bio status when queueRq returns " + st + " (started=" + start + ")");
                    assertEquals(0, d.bytesDone, "bytes done of a failed request");
                    assertEquals(1, d.calls.get());
                    assertEquals(0, busyTags(disk), "tag left allocated after " + st);
                }
            }
            drv.ret = BlkStatus.OK;
            drv.start = false;
            Done ok = readOk(q, 0);
            assertEquals(4096, ok.bytesDone);
        } finally {
            closeQuietly(set, disk);
        }
        assertTrue(disk.closeReport().leaked().isEmpty());
    }

    @Test
    void driverEndsWithErrorAndPartialBytes() throws Exception {
        BlkMqOps drv = new BlkMqOps() {
            @Override
            public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
                BlkMq.startRequest(rq);
                if (rq.sector() == 16) {
                    rq.setBytesDone(2048);
                    BlkMq.endRequest(rq, BlkStatus.MEDIUM);
                } else if (rq.sector() == 24) {
                    BlkMq.endRequest(rq, BlkStatus.NOSPC);
                } else {
                    BlkMq.endRequest(rq, BlkStatus.OK);
                }
                return BlkStatus.OK;
            }
        };
        TagSet set = TagSet.builder(drv).queueDepth(1).build();
        GenDisk disk = disk(set, "status1");
        try (SwQueue q = disk.openQueue()) {
            Done partial = new Done();
            q.submitBio(write(16, 8192, partial));
            partial.await();
            assertEquals(BlkStatus.MEDIUM, partial.status);
            assertEquals(2048, partial.bytesDone, "partial transfer reported through setBytesDone");
            // the same tag is reused next: its bytesDone must have been reset
            Done nospc = new Done();
            q.submitBio(write(24, 4096, nospc));
            nospc.await();
            assertEquals(BlkStatus.NOSPC, nospc.status);
            assertEquals(0, nospc.bytesDone, "error without setBytesDone: nothing transferred");
            assertNull(nospc.detail, "a driver's error carries no block-layer detail");
            Done ok = new Done();
            q.submitBio(write(0, 8192, ok));
            ok.await();
            assertEquals(BlkStatus.OK, ok.status);
            assertEquals(8192, ok.bytesDone);
        } finally {
            closeQuietly(set, disk);
        }
    }

    @Test
    void nowaitWithoutFreeTagGetsAgain() throws Exception {
        Holding drv = new Holding();
        TagSet set = TagSet.builder(drv).queueDepth(1).build();
        GenDisk disk = disk(set, "status2");
        try (SwQueue q = disk.openQueue()) {
            Done held = new Done();
            q.submitBio(read(0, 4096, held));
            Request rq = drv.take();
            Done again = new Done();
            Bio b = read(8, 4096, again).flags(ReqFlags.NOWAIT);
            q.submitBio(b);
            assertTrue(again.done(), "a NOWAIT bio without a free tag completes at submit");
            assertEquals(BlkStatus.AGAIN, again.status);
            assertNotNull(again.detail);
            assertEquals(1, drv.calls.get(), "the NOWAIT bio never reached the driver");
            BlkMq.endRequest(rq, BlkStatus.OK);
            held.await();
            // with a free tag, NOWAIT is served normally
            drv.passThrough = true;
            Done ok = new Done();
            q.submitBio(read(8, 4096, ok).flags(ReqFlags.NOWAIT));
            ok.await();
            assertEquals(BlkStatus.OK, ok.status);
            assertEquals(0, busyTags(disk));
        } finally {
            closeQuietly(set, disk);
        }
    }
}
