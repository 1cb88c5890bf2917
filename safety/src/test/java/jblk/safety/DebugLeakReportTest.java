package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.CloseReport;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;

/** DEBUG mode: closing a disk reports each request the driver never ended, and where it got it. */
class DebugLeakReportTest {
    private static final Duration CLOSE = Duration.ofMillis(150);

    @Test
    void leakedRequestIsReportedWithWhereItWasIssued() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.DEBUG).depth(4).closeTimeout(CLOSE).build()) {
            env.submit(0);
            Done ended = env.submit(8);
            RequestRef<Void> leaked = d.take();
            RequestRef<Void> fine = d.take();
            assertEquals(EndOutcome.ENDED, fine.endOk());
            ended.assertOnce(BlkStatus.OK);

            env.q.close();
            env.disk.close();
            CloseReport r = env.disk.closeReport();
            assertFalse(r.drained());
            assertEquals(1, r.leaked().size(), r.toString());
            assertEquals(leaked.tag(), r.leaked().get(0).tag());
            List<String> notes = r.notes();
            assertEquals(1, notes.size(), r.toString());
            String note = notes.get(0);
            assertTrue(note.contains("leak: tag " + leaked.tag() + " was never ended by the driver"), note);
            assertTrue(note.contains("issued"), note);
            assertTrue(note.contains("gen " + leaked.generation()), note);
            assertTrue(note.contains("issued to the driver on thread " + Thread.currentThread().getName()), note);
            assertTrue(note.contains("\n    at "), "the note carries the stack where it was issued: " + note);
            assertTrue(note.contains("jblk.blockcore.SwQueue.submitBio"), note);
            assertTrue(r.toString().contains(note.lines().findFirst().orElseThrow()), "notes are part of the report");
        }
    }

    @Test
    void checkedModeReportsTheLeakWithoutDebugNotes() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.CHECKED).closeTimeout(CLOSE).build()) {
            env.submit(0);
            RequestRef<Void> leaked = d.take();
            env.q.close();
            env.disk.close();
            CloseReport r = env.disk.closeReport();
            assertEquals(1, r.leaked().size());
            assertEquals(leaked.tag(), r.leaked().get(0).tag());
            assertTrue(r.notes().isEmpty(), r.toString());
        }
    }

    @Test
    void requestQueuedButNeverIssuedIsReportedAsSuch() throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            rq.endOk();
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).ownership(Ownership.DEBUG).depth(1).closeTimeout(CLOSE).build()) {
            env.submit(0).assertOnce(BlkStatus.OK); // the tag has a debug record of an earlier issue
            env.disk.quiesce();
            Done stuck = env.submit(8);
            env.q.close();
            env.disk.close();
            CloseReport r = env.disk.closeReport();
            assertEquals(1, r.leaked().size(), r.toString());
            assertEquals(List.of("leak: tag 0 was never issued to the driver (queued when the disk closed)"), r.notes());
            assertEquals(0, stuck.calls.get());
        }
    }

    @Test
    void cleanCloseHasNoLeaksAndNoNotes() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.DEBUG).closeTimeout(CLOSE).build()) {
            Done bio = env.submit(0);
            d.take().endOk();
            bio.assertOnce(BlkStatus.OK);
            env.q.close();
            env.disk.close();
            CloseReport r = env.disk.closeReport();
            assertTrue(r.drained());
            assertTrue(r.leaked().isEmpty());
            assertTrue(r.notes().isEmpty());
        }
    }
}
