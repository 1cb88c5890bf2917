package jblk.safety.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.GenDiskBuilder;
import jblk.safety.Ownership;
import jblk.safety.TagSet;
import org.junit.jupiter.api.Test;

/** The guide's example driver works as the guide says. */
class RamDiskTest {
    @Test
    void writesReadBackAndRefusesWhatItDoesNotServe() throws Exception {
        TagSet<Void, Void> set = TagSet.builder(new RamDisk(1 << 20)).queueDepth(64)
                .ownership(Ownership.CHECKED).build();
        GenDisk disk = new GenDiskBuilder().capacitySectors(2048).maxDiscardSectors(2048).build("ram0", set);
        try (SwQueue q = disk.openQueue()) {
            ByteBuffer out = ByteBuffer.allocate(4096);
            for (int i = 0; i < 4096; i++) {
                out.put(i, (byte) (i * 7));
            }
            assertEquals(BlkStatus.OK, io(q, ReqOp.WRITE, 16, out));
            ByteBuffer in = ByteBuffer.allocate(4096);
            assertEquals(BlkStatus.OK, io(q, ReqOp.READ, 16, in));
            assertArrayEquals(out.array(), in.array());
            assertEquals(BlkStatus.NOTSUPP, io(q, ReqOp.DISCARD, 0, null));
        } finally {
            disk.close();
            set.close();
        }
        assertEquals(0, disk.closeReport().leaked().size());
    }

    private static BlkStatus io(SwQueue q, ReqOp op, long sector, ByteBuffer buf) throws Exception {
        CompletableFuture<BlkStatus> done = new CompletableFuture<>();
        q.submitBio(new Bio().set(op, sector, 4096, buf, 0, 0, b -> done.complete(b.status())));
        return done.get(10, TimeUnit.SECONDS);
    }
}
