package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;

/** Violations are counted per refusal kind per disk, readable by tools and shown in the disk's debugfs. */
class ViolationAccountingTest {

    private static Done submit(SwQueue q, long sector) {
        Done d = new Done();
        q.submitBio(new Bio().set(ReqOp.READ, sector, 512, ByteBuffer.allocate(512), 0, 0, d));
        return d;
    }

    @Test
    void countersArePerDiskAndPerKind() throws Exception {
        TestDriver d = new TestDriver();
        try (TagSet<Void, Void> set = TagSet.builder(d).queueDepth(8).ownership(Ownership.CHECKED).build()) {
            GenDisk a = new GenDiskBuilder().capacitySectors(1024).build("va0", set);
            GenDisk b = new GenDiskBuilder().capacitySectors(1024).build("vb0", set);
            try (SwQueue qa = a.openQueue(); SwQueue qb = b.openQueue()) {
                Done da = submit(qa, 0);
                RequestRef<Void> ha = d.take();
                assertEquals(a, ha.disk());
                ha.endOk();
                da.assertOnce(BlkStatus.OK);
                ha.endOk();
                ha.endOk();

                Done db = submit(qb, 0);
                RequestRef<Void> hb = d.take();
                assertEquals(b, hb.disk());
                RequestRef<Void> s = hb.share();
                assertEquals(EndOutcome.SHARED, hb.endOk());
                s.release();
                s.release();
                hb.endOk();
                db.assertOnce(BlkStatus.OK);

                Violations va = set.violations(a);
                Violations vb = set.violations(b);
                assertEquals(2, va.count(Violation.ALREADY_ENDED));
                assertEquals(2, va.total());
                assertEquals(0, vb.count(Violation.ALREADY_ENDED));
                assertEquals(1, vb.count(Violation.SHARED));
                assertEquals(1, vb.count(Violation.RELEASED));
                assertEquals(2, vb.total());

                Map<Violation, Long> snap = va.snapshot();
                assertEquals(Violation.values().length, snap.size());
                assertEquals(2L, snap.get(Violation.ALREADY_ENDED));
                assertEquals(0L, snap.get(Violation.EXCEPTION));
                assertTrue(va.toString().startsWith("va0 "), va.toString());

                assertEquals("""
                        mode generation
                        already_ended 2
                        stale 0
                        shared 0
                        released 0
                        status_after_end 0
                        exception 0
                        """, a.debugfs().get("ownership"));
                assertTrue(b.debugfs().get("ownership").contains("shared 1\nreleased 1\n"));
                assertTrue(b.debugInfo().contains("# vb0/ownership\nmode generation\n"), b.debugInfo());
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void debugfsNamesTheMode() throws Exception {
        for (Ownership mode : Ownership.values()) {
            try (TagSet<Void, Void> set = TagSet.builder(new TestDriver()).ownership(mode).build()) {
                GenDisk disk = new GenDiskBuilder().capacitySectors(8).build("vm0", set);
                try {
                    assertTrue(disk.debugfs().get("ownership").startsWith("mode " + mode + "\n"));
                    assertEquals(0, set.violations(disk).total());
                } finally {
                    disk.close();
                }
            }
        }
    }
}
