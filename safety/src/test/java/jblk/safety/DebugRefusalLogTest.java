package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jblk.blockcore.BlkStatus;
import jblk.safety.SafetyTestSupport.Done;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DEBUG mode prints each refusal with where the handle was issued and first ended; CHECKED stays quiet. */
class DebugRefusalLogTest {
    private static final Logger JUL = Logger.getLogger("jblk.safety");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void attach() {
        JUL.addHandler(capture);
    }

    @AfterEach
    void detach() {
        JUL.removeHandler(capture);
    }

    private List<String> warnings() {
        return records.stream().filter(r -> Level.WARNING.equals(r.getLevel())).map(LogRecord::getMessage).toList();
    }

    @Test
    void debugRefusalNamesTheOutcomeAndWhereTheHandleWasIssuedAndEnded() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.DEBUG).name("dbg0").build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            assertEquals(EndOutcome.ENDED, h.endOk());
            bio.assertOnce(BlkStatus.OK);
            records.clear();
            assertEquals(EndOutcome.ALREADY_ENDED, h.end(BlkStatus.IOERR));
            List<String> w = warnings();
            assertEquals(1, w.size(), records.toString());
            String m = w.get(0);
            assertTrue(m.contains("ownership violation on dbg0"), m);
            assertTrue(m.contains("end(IOERR)"), m);
            assertTrue(m.contains("refused: ALREADY_ENDED"), m);
            assertTrue(m.contains("refused here"), m);
            assertTrue(m.contains("issued: tag " + h.tag() + " gen " + h.generation()), m);
            assertTrue(m.contains("first ended: tag " + h.tag() + " gen " + h.generation()), m);
        }
    }

    @Test
    void checkedModeCountsButDoesNotLogRefusals() throws Exception {
        TestDriver d = new TestDriver();
        try (Env env = Env.builder(d).ownership(Ownership.CHECKED).build()) {
            Done bio = env.submit(0);
            RequestRef<Void> h = d.take();
            h.endOk();
            bio.assertOnce(BlkStatus.OK);
            records.clear();
            assertEquals(EndOutcome.ALREADY_ENDED, h.endOk());
            assertTrue(warnings().isEmpty(), records.toString());
            assertEquals(1, env.violations().count(Violation.ALREADY_ENDED));
        }
    }
}
