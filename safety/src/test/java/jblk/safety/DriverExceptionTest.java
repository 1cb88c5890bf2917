package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A driver that throws gets its request ended with IOERR exactly once; the tag is never lost. */
class DriverExceptionTest {

    /** Defect: in mode OFF a throwing queueRq was logged twice at SEVERE (by the binding and by blockcore). */
    @ParameterizedTest
    @EnumSource(Ownership.class)
    void exceptionInQueueRqIsLoggedOnce(Ownership mode) throws Exception {
        Logger jblk = Logger.getLogger("jblk"); // parent of jblk.safety: sees both layers' records
        List<LogRecord> severe = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    severe.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jblk.addHandler(h);
        try {
            TestDriver d = new TestDriver();
            d.onQueueRq = (rq, n) -> {
                throw new IllegalStateException("driver bug in queueRq, logged once");
            };
            try (Env env = Env.builder(d).ownership(mode).depth(1).build()) {
                env.submit(0).assertOnce(BlkStatus.IOERR);
            }
            long n = severe.stream().filter(r -> r.getThrown() != null
                    && "driver bug in queueRq, logged once".equals(r.getThrown().getMessage())).count();
            assertEquals(1, n, mode + ": " + severe.stream().map(LogRecord::getMessage).toList());
        } finally {
            jblk.removeHandler(h);
        }
    }

    @ParameterizedTest
    @EnumSource(Ownership.class)
    void exceptionInQueueRqEndsTheBioWithIoerrOnceAndFreesTheTag(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            if (n == 1) {
                throw new IllegalStateException("driver bug in queueRq");
            }
            rq.endOk();
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).ownership(mode).depth(1).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.IOERR);
            assertEquals(0, env.busyTags(), "the tag went back");
            if (mode.checked()) {
                assertEquals(EndOutcome.ALREADY_ENDED, d.take().endOk(), "the binding ended it; the handle is dead");
            }
            // depth 1: the next bio can only be served if the tag was freed.
            Done next = env.submit(8);
            next.assertOnce(BlkStatus.OK);
            assertEquals(1, bio.calls.get());
            assertEquals(1, env.violations().count(Violation.EXCEPTION));
        }
    }

    @ParameterizedTest
    @EnumSource(Ownership.class)
    void exceptionAfterEndingDoesNotEndTwice(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            rq.end(BlkStatus.MEDIUM);
            if (n == 1) {
                throw new IllegalStateException("driver bug after the end");
            }
            return BlkStatus.OK;
        };
        try (Env env = Env.builder(d).ownership(mode).depth(1).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.MEDIUM);
            env.submit(8).assertOnce(BlkStatus.MEDIUM);
            assertEquals(1, bio.calls.get());
            assertEquals(BlkStatus.MEDIUM, bio.status);
            env.awaitTagsFree();
            assertEquals(1, env.violations().count(Violation.EXCEPTION));
        }
    }

    @ParameterizedTest
    @EnumSource(Ownership.class)
    void exceptionInCompleteEndsTheBioWithIoerrOnce(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            rq.complete();
            return BlkStatus.OK;
        };
        d.onComplete = rq -> {
            if (d.completeCalls.get() == 1) {
                throw new IllegalStateException("driver bug in complete");
            }
            rq.endOk();
        };
        try (Env env = Env.builder(d).ownership(mode).depth(1).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.IOERR);
            // The next completion runs on the same softirq thread after anything bio 1 could still cause.
            env.submit(8).assertOnce(BlkStatus.OK);
            assertEquals(1, bio.calls.get());
            env.awaitTagsFree();
            assertEquals(1, env.violations().count(Violation.EXCEPTION));
        }
    }

    @ParameterizedTest
    @EnumSource(Ownership.class)
    void exceptionInCompleteAfterEndingDoesNotEndTwice(Ownership mode) throws Exception {
        TestDriver d = new TestDriver();
        d.onQueueRq = (rq, n) -> {
            rq.complete();
            return BlkStatus.OK;
        };
        d.onComplete = rq -> {
            rq.end(BlkStatus.TARGET);
            if (d.completeCalls.get() == 1) {
                throw new IllegalStateException("driver bug after the end in complete");
            }
        };
        try (Env env = Env.builder(d).ownership(mode).depth(1).build()) {
            Done bio = env.submit(0);
            bio.assertOnce(BlkStatus.TARGET);
            env.submit(8).assertOnce(BlkStatus.TARGET);
            assertEquals(1, bio.calls.get());
            assertEquals(BlkStatus.TARGET, bio.status);
            env.awaitTagsFree();
            assertEquals(1, env.violations().count(Violation.EXCEPTION));
        }
    }
}
