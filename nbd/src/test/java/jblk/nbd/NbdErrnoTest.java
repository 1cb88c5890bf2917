package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jblk.blockcore.BlkStatus;
import org.junit.jupiter.api.Test;

/** BlkStatus to NBD error values. */
class NbdErrnoTest {
    @Test
    void statusesMapThroughTheirErrno() {
        assertEquals(0, NbdErrno.of(BlkStatus.OK));
        assertEquals(NbdProto.EIO, NbdErrno.of(BlkStatus.IOERR));
        assertEquals(NbdProto.ENOSPC, NbdErrno.of(BlkStatus.NOSPC));
        assertEquals(NbdProto.EINVAL, NbdErrno.of(BlkStatus.INVAL));
        assertEquals(NbdProto.ENOTSUP, NbdErrno.of(BlkStatus.NOTSUPP));
        assertEquals(NbdProto.ENOMEM, NbdErrno.of(BlkStatus.RESOURCE));
        assertEquals(NbdProto.EOVERFLOW, NbdErrno.of(BlkStatus.ZONE_ACTIVE_RESOURCE));
        // What NBD has no value for is an I/O error to the client.
        for (BlkStatus s : new BlkStatus[] {BlkStatus.TIMEOUT, BlkStatus.TRANSPORT, BlkStatus.MEDIUM,
            BlkStatus.PROTECTION, BlkStatus.AGAIN, BlkStatus.OFFLINE, BlkStatus.DEV_RESOURCE}) {
            assertEquals(NbdProto.EIO, NbdErrno.of(s), s.name());
        }
    }
}
