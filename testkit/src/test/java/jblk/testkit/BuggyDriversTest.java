package jblk.testkit;

import jblk.testkit.disks.TestDisks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jblk.blockcore.ReqOp;
import org.junit.jupiter.api.Test;

/** Each known bug fails the check that names it, on the request that shows it, with the seed to replay. */
class BuggyDriversTest {
    private static KitReport run(TestDisks.Ram.Bug bug, ReqOp... ops) {
        KitConfig c = KitConfig.builder().seed(42).passes(Pass.DATA).ops(ops).iosPerSubmitter(400)
                .completionWait(java.time.Duration.ofSeconds(2)).closeTimeout(java.time.Duration.ofMillis(200))
                .driverName(bug.name()).build();
        return DriverKit.run(bytes -> new TestDisks.Ram(bytes, bug), c);
    }

    private static KitReport.Check failed(KitReport r, String nameFragment) {
        List<KitReport.Check> f = r.failures();
        assertFalse(r.passed(), r.text());
        return f.stream().filter(c -> c.name().contains(nameFragment)).findFirst()
                .orElseThrow(() -> new AssertionError("no failed check '" + nameFragment + "' in\n" + r.text()));
    }

    @Test
    void aWriteThatDropsItsLastSectorIsAStaleOrLostWrite() {
        KitReport r = run(TestDisks.Ram.Bug.SHORT_WRITE);
        KitReport.Check c = failed(r, "every read returned the last acknowledged write");
        assertTrue(c.details().get(0).matches("(stale|lost) write: sector \\d+ .*read by READ sector \\d+ .*"),
                c.details().get(0));
        assertEquals(1, r.failedCount(), r.text());
        assertTrue(r.text().contains("replay: seed 42"), r.text());
        assertThrows(AssertionError.class, r::assertPassed);
    }

    @Test
    void aDoubleEndIsRefusedAndNamed() {
        KitReport r = run(TestDisks.Ram.Bug.DOUBLE_END_FLUSH, ReqOp.FLUSH);
        KitReport.Check c = failed(r, "own ends, completes and requeues were never refused");
        assertTrue(c.details().get(0).startsWith("ALREADY_ENDED "), c.details().toString());
        assertTrue(c.name().contains("ALREADY_ENDED"), c.name());
        assertEquals(1, r.failedCount(), "the refused second end changed nothing else:\n" + r.text());
    }

    @Test
    void aFlushNeverEndedIsReportedAsNeverCompletedAndHeldAtClose() {
        KitReport r = run(TestDisks.Ram.Bug.LEAK_FLUSH, ReqOp.FLUSH);
        // The binding ends a request still held at close with IOERR (its submitter gets an answer),
        // so the leak shows as a tag held at close rather than as a bio that never completed.
        KitReport.Check held = failed(r, "no request held a tag at close");
        assertTrue(held.details().stream().anyMatch(d -> d.startsWith("never ended: ") && d.contains("FLUSH")),
                held.details().toString());
    }

    @Test
    void aClaimedOpTheDriverDoesNotServeIsNamed() {
        KitReport r = run(TestDisks.Ram.Bug.NO_DISCARD, ReqOp.DISCARD);
        KitReport.Check c = failed(r, "every claimed op succeeded");
        assertTrue(c.details().get(0).matches(
                "DISCARD sector \\d+ .* ended with NOTSUPP: the kit was told the driver serves DISCARD"),
                c.details().get(0));
    }

    @Test
    void aFactoryThatThrowsFailsItsPassWithTheException() {
        KitReport r = DriverKit.run(bytes -> {
            throw new IllegalStateException("no device");
        }, KitConfig.builder().seed(1).passes(Pass.DATA).build());
        KitReport.Check c = failed(r, "the driver factory built a driver");
        assertEquals(List.of("java.lang.IllegalStateException: no device"), c.details());
    }
}
