package jblk.safety;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.*;
import org.junit.jupiter.api.Test;

class SafetySmokeTest {
    static final class Holder implements Operations<Void, Void> {
        final List<RequestRef<Void>> held = new ArrayList<>();
        @Override public Void newRequestData(int hctxIdx) { return null; }
        @Override public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
            synchronized (held) { held.add(rq); }
            return BlkStatus.OK;
        }
        @Override public void commitRqs(Void hw) {}
        @Override public void complete(RequestRef<Void> rq) { rq.endOk(); }
    }

    @Test
    void outcomes() throws Exception {
        Holder d = new Holder();
        TagSet<Void, Void> set = TagSet.builder(d).queueDepth(1).ownership(Ownership.CHECKED).build();
        GenDisk disk = new GenDiskBuilder().capacitySectors(1024).build("safe0", set);
        try (SwQueue q = disk.openQueue()) {
            ByteBuffer buf = ByteBuffer.allocate(512);
            CountDownLatch l1 = new CountDownLatch(1);
            q.submitBio(new Bio().set(ReqOp.READ, 0, 512, buf, 0, 0, b -> l1.countDown()));
            RequestRef<Void> h1 = d.held.get(0);
            assertEquals(EndOutcome.ENDED, h1.endOk());
            assertTrue(l1.await(5, TimeUnit.SECONDS));
            assertEquals(EndOutcome.ALREADY_ENDED, h1.endOk());
            CountDownLatch l2 = new CountDownLatch(1);
            q.submitBio(new Bio().set(ReqOp.READ, 0, 512, buf, 0, 0, b -> l2.countDown()));
            RequestRef<Void> h2 = d.held.get(1);
            assertEquals(h1.tag(), h2.tag());
            assertEquals(EndOutcome.STALE, h1.endOk());
            RequestRef<Void> s = h2.share();
            assertEquals(EndOutcome.SHARED, h2.endOk());
            assertTrue(s.release());
            assertEquals(EndOutcome.RELEASED, s.endOk());
            assertEquals(EndOutcome.ENDED, h2.complete());
            assertTrue(l2.await(5, TimeUnit.SECONDS));
            Violations v = set.violations(disk);
            assertEquals(1, v.count(Violation.ALREADY_ENDED));
            assertEquals(1, v.count(Violation.STALE));
            assertEquals(1, v.count(Violation.SHARED));
            assertEquals(1, v.count(Violation.RELEASED));
            System.out.println(disk.debugfs().get("ownership"));
        }
        disk.close();
        set.close();
    }
}
