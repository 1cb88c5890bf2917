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
            assertEquals(2, notes.size(), r.toString());
            assertTrue(notes.get(1).contains("ended with IOERR at close"), r.toString());
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
            Done bio = env.submit(0);
            RequestRef<Void> leaked = d.take();
            env.q.close();
            env.disk.close();
            CloseReport r = env.disk.closeReport();
            assertEquals(1, r.leaked().size());
            assertEquals(leaked.tag(), r.leaked().get(0).tag());
            assertEquals(List.of("tag " + leaked.tag() + " on hw queue 0: ended with IOERR at close; a later end"
                    + " through the driver's handle is refused"), r.notes(), r.toString());
            bio.assertOnce(BlkStatus.IOERR);
        }
    }

    /** Defect: an end through a handle after close used to return ENDED and complete the bio on a closed disk. */
    @Test
    void endAfterCloseIsRefusedAndTheBioCompletedOnceWithIoerr() throws Exception {
        for (Ownership mode : List.of(Ownership.CHECKED, Ownership.DEBUG)) {
            TestDriver d = new TestDriver();
            try (Env env = Env.builder(d).ownership(mode).closeTimeout(CLOSE).build()) {
                Done inFlight = env.submit(0);
                RequestRef<Void> held = d.take();
                env.q.close();
                env.disk.close();
                inFlight.assertOnce(BlkStatus.IOERR);
                assertEquals(EndOutcome.ALREADY_ENDED, held.endOk(), mode.toString());
                assertEquals(EndOutcome.ALREADY_ENDED, held.complete(), mode.toString());
                assertEquals(1, inFlight.calls.get(), mode + ": the bio's callback ran once, at close");
                assertEquals(0, env.busyTags(), mode + ": the tag went back at close");
            }
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
            assertEquals(List.of("leak: tag 0 was never issued to the driver (queued when the disk closed)"),
                    r.notes());
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
