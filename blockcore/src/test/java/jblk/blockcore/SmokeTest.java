package jblk.blockcore;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SmokeTest {
    static final class Inline implements BlkMqOps {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            calls.incrementAndGet();
            BlkMq.startRequest(rq);
            BlkMq.endRequest(rq, BlkStatus.OK);
            return BlkStatus.OK;
        }
    }

    static final class Softirq implements BlkMqOps {
        @Override
        public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
            BlkMq.startRequest(rq);
            BlkMq.completeRequest(rq);
            return BlkStatus.OK;
        }

        @Override
        public void complete(Request rq) {
            BlkMq.endRequest(rq, BlkStatus.OK);
        }
    }

    @Test
    void inlineAndSoftirq() throws Exception {
        for (BlkMqOps ops : new BlkMqOps[] {new Inline(), new Softirq()}) {
            TagSet set = TagSet.builder(ops).queueDepth(8).build();
            GenDisk disk = GenDisk.builder(set).name("smoke").capacitySectors(1 << 20).build();
            try (SwQueue q = disk.openQueue()) {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                int n = 10000;
                CountDownLatch done = new CountDownLatch(n);
                AtomicInteger ok = new AtomicInteger();
                for (int i = 0; i < n; i++) {
                    Bio b = new Bio().set(ReqOp.READ, (i * 8L) % (1 << 19), 4096, buf, 0, 0, bio -> {
                        if (bio.status() == BlkStatus.OK) {
                            ok.incrementAndGet();
                        }
                        done.countDown();
                    });
                    q.submitBio(b);
                }
                assertTrue(done.await(10, TimeUnit.SECONDS));
                assertEquals(n, ok.get());
                System.out.println(disk.stat());
                System.out.println(disk.debugInfo());
            }
            disk.close();
            assertTrue(disk.closeReport().leaked().isEmpty());
            set.close();
        }
    }
}
