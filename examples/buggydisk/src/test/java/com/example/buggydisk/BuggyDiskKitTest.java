package com.example.buggydisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jblk.testkit.DriverKit;
import jblk.testkit.KitConfig;
import jblk.testkit.KitReport;
import jblk.testkit.Pass;
import org.junit.jupiter.api.Test;

/** The buggy disk fails the kit with the report docs/WRITING-A-DRIVER.md shows. */
class BuggyDiskKitTest {
    @Test
    void theKitCatchesTheStaleReadAndTheDoubleEnd() {
        KitConfig c = KitConfig.builder().seed(16).passes(Pass.DATA).driverName("BuggyDisk").build();
        KitReport r = DriverKit.run(bytes -> new BuggyDisk((int) bytes), c);
        System.out.print(r.text());

        assertFalse(r.passed());
        List<String> failed = r.failures().stream().map(KitReport.Check::name).toList();
        assertEquals(2, failed.size(), r.text());
        assertTrue(failed.get(0).startsWith("data: every read returned the last acknowledged write ("), r.text());
        assertTrue(failed.get(1).startsWith("data: the driver's own ends, completes and requeues were never refused"
                + " (ALREADY_ENDED "), r.text());

        // What went wrong, on which request: a sector older than its last acknowledged write, and the read that saw it.
        String first = r.failures().get(0).details().get(0);
        assertTrue(first.matches("(stale|lost) write: sector \\d+ (holds write #\\d+ \\(.*\\)|reads zeros), expected "
                + "write #\\d+ \\(WRITE sector \\d+ \\+\\d+ \\(write #\\d+\\) \\[submitter \\d, I/O #\\d+\\]\\)"
                + "; read by READ sector \\d+ \\+\\d+ \\[submitter \\d, I/O #\\d+, hctx\\d tag \\d+\\].*"), first);
        assertEquals(List.of(), r.failures().get(1).details().subList(1, r.failures().get(1).details().size()));
        assertTrue(r.failures().get(1).details().get(0).startsWith("ALREADY_ENDED ")
                && r.failures().get(1).details().get(0).endsWith(": the driver ended, completed or requeued a request"
                        + " it had already ended"), r.text());
        // How to replay.
        assertTrue(r.text().contains("replay: seed 16 "), r.text());
        assertTrue(r.text().endsWith("failed (replay: seed 16)\n"), r.text());
    }
}
