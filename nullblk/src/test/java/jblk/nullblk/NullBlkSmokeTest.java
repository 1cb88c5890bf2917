package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jblk.blockcore.*;
import jblk.safety.Ownership;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NullBlkSmokeTest {
    @ParameterizedTest
    @CsvSource({"raw,off,0", "raw,off,1", "raw,off,2", "safe,off,0", "safe,checked,1", "safe,debug,2",
            "safe,checked,0"})
    void writeReadBack(String drv, String own, int irq) throws Exception {
        try (NullBlkModule m = NullBlkModule.load("memory_backed=1 gb=1 irqmode=" + irq + " poll_queues=0",
                DriverKind.parse(drv), Ownership.parse(own))) {
            GenDisk disk = m.device(0).disk();
            try (SwQueue q = disk.openQueue()) {
                int n = 200;
                ByteBuffer w = ByteBuffer.allocateDirect(4096 * n);
                for (int i = 0; i < w.capacity(); i++) w.put(i, (byte) (i * 31 + 7));
                CountDownLatch wl = new CountDownLatch(n);
                AtomicInteger errs = new AtomicInteger();
                for (int i = 0; i < n; i++) {
                    q.submitBio(new Bio().set(ReqOp.WRITE, i * 8L * 3, 4096, w, i * 4096, 0, b -> {
                        if (!b.status().isOk()) errs.incrementAndGet();
                        wl.countDown();
                    }));
                }
                assertTrue(wl.await(10, TimeUnit.SECONDS));
                ByteBuffer r = ByteBuffer.allocate(4096 * n);
                CountDownLatch rl = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    q.submitBio(new Bio().set(ReqOp.READ, i * 8L * 3, 4096, r, i * 4096, 0, b -> {
                        if (!b.status().isOk()) errs.incrementAndGet();
                        rl.countDown();
                    }));
                }
                assertTrue(rl.await(10, TimeUnit.SECONDS));
                assertEquals(0, errs.get());
                byte[] written = new byte[w.capacity()];
                w.get(0, written);
                assertArrayEquals(written, r.array()); // one comparison, not a message string per byte
            }
        }
    }
}
