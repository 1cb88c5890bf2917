package jblk.safety;

import static jblk.safety.OwnershipMatrix.Cell.CORRUPTED;
import static jblk.safety.OwnershipMatrix.Cell.REFUSED;
import static jblk.safety.OwnershipMatrix.Cell.UNDETECTED;
import static jblk.safety.SafetyTestSupport.Done;
import static jblk.safety.SafetyTestSupport.Env;
import static jblk.safety.SafetyTestSupport.TestDriver;
import static jblk.safety.SafetyTestSupport.TimeoutDriver;
import static jblk.safety.SafetyTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.CloseReport;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.spi.QueueInternals;
import jblk.safety.OwnershipMatrix.Cell;
import jblk.safety.OwnershipMatrix.Misuse;
import jblk.safety.OwnershipMatrix.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11's matrix, from scenarios that run: each misuse under each ownership strategy, classified
 * by what happened to the bios ({@link Cell}), asserted against the cell each strategy is expected
 * to give (so a change in what a strategy catches fails here), and written to
 * {@code safety/target/ownership-matrix.md} for docs/OWNERSHIP.md. The racing double end is run many
 * times. Every undetected or corrupted cell is also an ACCEPTABLE_INTERESTING outcome of a jcstress
 * test in stress ({@code jblk.stress.safety}, the sequential scenarios as two-actor races), named per
 * row in docs/OWNERSHIP.md's "How each scenario runs" (stress's {@code OwnershipCellsDocTest} checks it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OwnershipMatrixTest {
    private static final List<Ownership> STRATEGIES = List.of(Ownership.OFF, Ownership.REFCOUNT,
            Ownership.GENERATION, Ownership.HPREF, Ownership.OWNED, Ownership.DEBUG);
    private static final Duration CLOSE = Duration.ofMillis(300);

    /** Every scenario's disk: one tag (so a reused tag is the same request), {@code o}, a short close. */
    private static Env matrixEnv(TestDriver d, Ownership o) {
        return Env.builder(d).ownership(o).depth(1).closeTimeout(CLOSE).build();
    }
    private static final int RACE_TRIALS = 400;
    private static final Map<Misuse, Map<Ownership, Result>> TABLE = new EnumMap<>(Misuse.class);

    /** Expected cells; a set where the outcome depends on a race being hit (the plain flag of OWNED). */
    private static Set<Cell> expected(Misuse m, Ownership o) {
        if (o == Ownership.OFF) {
            return m == Misuse.LEAK_AT_CLOSE ? Set.of(UNDETECTED) : Set.of(CORRUPTED);
        }
        switch (m) {
            case RACING_DOUBLE_END:
                return o == Ownership.OWNED ? Set.of(CORRUPTED, REFUSED) : Set.of(REFUSED);
            case STALE_AFTER_REUSE:
                return o == Ownership.REFCOUNT ? Set.of(CORRUPTED) : Set.of(REFUSED);
            case END_WHILE_SHARED:
                return o == Ownership.HPREF ? Set.of(UNDETECTED) : Set.of(REFUSED);
            case USE_AFTER_COMPLETE:
                return o == Ownership.REFCOUNT ? Set.of(CORRUPTED) : Set.of(REFUSED);
            default:
                return Set.of(REFUSED); // OFF was answered above; every other strategy refuses the rest
        }
    }

    private static void record(Misuse m, Ownership o, Result r) {
        synchronized (TABLE) {
            TABLE.computeIfAbsent(m, k -> new EnumMap<>(Ownership.class)).put(o, r);
        }
        assertTrue(expected(m, o).contains(r.cell()), m.title + " under " + o + ": expected one of " + expected(m, o)
                + ", got " + r.cell() + " (" + r.note() + ")");
    }

    /** Runs {@code body}; an AssertionError from blockcore (-ea) is C's undefined behaviour caught late. */
    private static Result guarded(ThrowingScenario body) throws Exception {
        try {
            return body.run();
        } catch (AssertionError e) {
            return Result.of(CORRUPTED, "blockcore -ea assertion: " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface ThrowingScenario {
        Result run() throws Exception;
    }

    private static Result byBio(EndOutcome misuse, Done bio, BlkStatus meant) {
        if (bio.calls.get() > 1 || (bio.isDone() && bio.status != meant)) {
            return Result.of(CORRUPTED, "misuse " + misuse + "; bio completed " + bio.calls.get() + "x, " + bio.status);
        }
        return Result.of(misuse.refused() ? REFUSED : UNDETECTED, "misuse " + misuse);
    }

    @Test
    void sequentialDoubleEnd() throws Exception {
        for (Ownership o : STRATEGIES) {
            TestDriver d = new TestDriver();
            try (Env env = matrixEnv(d, o)) {
                Done bio = env.submit(0);
                RequestRef<Void> h = d.take();
                assertEquals(EndOutcome.ENDED, h.endOk());
                record(Misuse.SEQUENTIAL_DOUBLE_END, o,
                        guarded(() -> byBio(h.end(BlkStatus.IOERR), bio, BlkStatus.OK)));
            }
        }
    }

    @Test
    void racingDoubleEnd() throws Exception {
        for (Ownership o : STRATEGIES) {
            TestDriver d = new TestDriver();
            Result worst = null;
            try (Env env = matrixEnv(d, o)) {
                for (int t = 0; t < RACE_TRIALS && (worst == null || worst.cell() != CORRUPTED); t++) {
                    Done bio = env.submit(0);
                    RequestRef<Void> h = d.take();
                    Result r = race(h, bio);
                    if (worst == null || r.cell().ordinal() > worst.cell().ordinal()) {
                        worst = r;
                    }
                    if (r.cell() == CORRUPTED) {
                        break; // the tag's state is undefined now (C semantics)
                    }
                    env.awaitTagsFree();
                }
            }
            record(Misuse.RACING_DOUBLE_END, o, Result.of(worst.cell(), worst.note() + " (worst of up to "
                    + RACE_TRIALS + " races)"));
        }
    }

    /** Two threads end one handle at once (both spinning on one flag); one end must be refused. */
    private static Result race(RequestRef<Void> h, Done bio) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean go = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(1);
        AtomicReference<Object> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            ready.countDown();
            while (!go.get()) {
                Thread.onSpinWait();
            }
            try {
                other.set(h.end(BlkStatus.OK));
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.start();
        ready.await();
        Object mine;
        go.set(true);
        try {
            mine = h.end(BlkStatus.OK);
        } catch (AssertionError e) {
            mine = e;
        }
        t.join(TimeUnit.SECONDS.toMillis(10));
        Object theirs = other.get();
        if (mine instanceof Throwable || theirs instanceof Throwable) {
            return Result.of(CORRUPTED, "a racing end hit blockcore's -ea assertion");
        }
        int ended = (mine == EndOutcome.ENDED ? 1 : 0) + (theirs == EndOutcome.ENDED ? 1 : 0);
        if (ended != 1 || bio.calls.get() != 1) {
            return Result.of(CORRUPTED, ended + " ends won; bio completed " + bio.calls.get() + "x");
        }
        return Result.of(REFUSED, "one end won, the other was refused " + (mine == EndOutcome.ENDED ? theirs : mine));
    }

    @Test
    void staleHandleAfterTagReuse() throws Exception {
        for (Ownership o : STRATEGIES) {
            TestDriver d = new TestDriver();
            try (Env env = matrixEnv(d, o)) {
                Done first = env.submit(0);
                RequestRef<Void> h1 = d.take();
                assertEquals(EndOutcome.ENDED, h1.endOk());
                first.assertOnce(BlkStatus.OK);
                env.awaitTagsFree();
                Done second = env.submit(8);
                RequestRef<Void> h2 = d.take();
                Result r = guarded(() -> byBio(h1.end(BlkStatus.IOERR), second, BlkStatus.OK));
                if (r.cell() != CORRUPTED && !second.isDone()) {
                    assertEquals(EndOutcome.ENDED, h2.endOk(), o + ": the current handle still ends its request");
                    second.assertOnce(BlkStatus.OK);
                } else if (second.isDone()) {
                    r = Result.of(CORRUPTED, "the stale end completed the tag's next bio with " + second.status);
                }
                record(Misuse.STALE_AFTER_REUSE, o, r);
            }
        }
    }

    @Test
    void endWhileShared() throws Exception {
        for (Ownership o : STRATEGIES) {
            TestDriver d = new TestDriver();
            try (Env env = matrixEnv(d, o)) {
                Done bio = env.submit(0);
                RequestRef<Void> h = d.take();
                RequestRef<Void> shared = h.share();
                record(Misuse.END_WHILE_SHARED, o, guarded(() -> {
                    EndOutcome first = h.endOk();
                    if (first.refused()) {
                        assertTrue(shared.release());
                        assertEquals(EndOutcome.ENDED, h.endOk(), o + ": ends once the share is released");
                        return byBio(first, bio, BlkStatus.OK);
                    }
                    EndOutcome late = shared.end(BlkStatus.IOERR);
                    Result r = byBio(late, bio, BlkStatus.OK);
                    return r.cell() == CORRUPTED ? r : Result.of(UNDETECTED, "the end won over the outstanding share;"
                            + " the share's later end: " + late);
                }));
            }
        }
    }

    @Test
    void endVsTimeout() throws Exception {
        for (Ownership o : STRATEGIES) {
            TimeoutDriver d = new TimeoutDriver();
            AtomicReference<EndOutcome> byTimeout = new AtomicReference<>();
            d.onTimeout = rq -> {
                byTimeout.set(rq.end(BlkStatus.TIMEOUT));
                return EhTimerReturn.DONE;
            };
            try (Env env = matrixEnv(d, o)) {
                Done bio = env.submit(0);
                RequestRef<Void> h = d.take();
                record(Misuse.END_VS_TIMEOUT, o, guarded(() -> {
                    QueueInternals.expireNow(env.set.raw().tags(0).tagToRq(h.tag()));
                    EndOutcome owner = h.endOk();
                    EndOutcome timeout = byTimeout.get();
                    int won = (owner == EndOutcome.ENDED ? 1 : 0) + (timeout == EndOutcome.ENDED ? 1 : 0);
                    String note = "timeout's end " + timeout + ", owner's end " + owner;
                    if (won != 1 || bio.calls.get() != 1) {
                        return Result.of(CORRUPTED, note + "; bio completed " + bio.calls.get() + "x");
                    }
                    return Result.of(REFUSED, note);
                }));
            }
        }
    }

    @Test
    void tagToRqVsEnd() throws Exception {
        for (Ownership o : STRATEGIES) {
            TestDriver d = new TestDriver();
            try (Env env = matrixEnv(d, o)) {
                Done bio = env.submit(0);
                RequestRef<Void> h = d.take();
                RequestRef<Void> lookup = env.set.tagToRq(0, h.tag());
                record(Misuse.TAG_TO_RQ_VS_END, o, guarded(() -> {
                    if (lookup == null) {
                        assertEquals(EndOutcome.ENDED, h.endOk());
                        bio.assertOnce(BlkStatus.OK);
                        return Result.of(REFUSED, "tagToRq refused (null) while the driver holds its Owned handle");
                    }
                    EndOutcome owner = h.endOk();
                    if (owner.refused()) {
                        assertTrue(lookup.release());
                        assertEquals(EndOutcome.ENDED, h.endOk());
                        return Result.of(REFUSED, "the owner's end waits for the lookup's release: " + owner);
                    }
                    EndOutcome late = lookup.end(BlkStatus.IOERR);
                    lookup.release();
                    return byBio(late, bio, BlkStatus.OK);
                }));
            }
        }
    }

    @Test
    void useAfterComplete() throws Exception {
        for (Ownership o : STRATEGIES) {
            TestDriver d = new TestDriver();
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            AtomicReference<Object> callbackEnd = new AtomicReference<>();
            d.onComplete = rq -> {
                inCallback.countDown();
                try {
                    goOn.await(10, TimeUnit.SECONDS);
                    callbackEnd.set(rq.endOk());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (AssertionError e) {
                    callbackEnd.set(e); // OFF: the callback's end after the owner's hit blockcore's -ea check
                }
            };
            try (Env env = matrixEnv(d, o)) {
                Done bio = env.submit(0);
                RequestRef<Void> h = d.take();
                assertEquals(EndOutcome.ENDED, h.complete());
                assertTrue(inCallback.await(10, TimeUnit.SECONDS), "the complete callback ran");
                Result r = guarded(() -> byBio(h.end(BlkStatus.IOERR), bio, BlkStatus.OK));
                goOn.countDown();
                waitUntil("the callback's end", () -> callbackEnd.get() != null);
                if (r.cell() != CORRUPTED && bio.calls.get() != 1) {
                    r = Result.of(CORRUPTED, "bio completed " + bio.calls.get() + "x");
                }
                record(Misuse.USE_AFTER_COMPLETE, o, r);
            }
        }
    }

    @Test
    void leakAtClose() throws Exception {
        for (Ownership o : STRATEGIES) {
            TestDriver d = new TestDriver();
            try (Env env = matrixEnv(d, o)) {
                Done bio = env.submit(0);
                RequestRef<Void> h = d.take();
                env.q.close();
                env.disk.close();
                CloseReport report = env.disk.closeReport();
                assertEquals(1, report.leaked().size(), o + ": blockcore reports the leak in every mode");
                record(Misuse.LEAK_AT_CLOSE, o, guarded(() -> {
                    EndOutcome late = h.endOk();
                    if (bio.calls.get() > 1) {
                        return Result.of(CORRUPTED, "the late end completed the bio again: " + late);
                    }
                    return Result.of(late.refused() ? REFUSED : UNDETECTED, "reported at close"
                            + (bio.isDone() && late.refused() ? ", ended with " + bio.status + " there" : "")
                            + "; the driver's late end: " + late);
                }));
            }
        }
    }

    /** Writes the table (whatever ran) for docs/OWNERSHIP.md. */
    @AfterAll
    static void writeMatrix() throws IOException {
        StringBuilder sb = new StringBuilder("| misuse |");
        for (Ownership o : STRATEGIES) {
            sb.append(' ').append(o).append(" |");
        }
        sb.append("\n|---|");
        sb.append("---|".repeat(STRATEGIES.size())).append('\n');
        StringBuilder notes = new StringBuilder();
        for (Misuse m : Misuse.values()) {
            Map<Ownership, Result> row = TABLE.get(m);
            if (row == null) {
                continue;
            }
            sb.append("| ").append(m.title).append(" |");
            for (Ownership o : STRATEGIES) {
                Result r = row.get(o);
                sb.append(' ').append(r == null ? "-" : r.cell().toString()).append(" |");
                if (r != null) {
                    notes.append("- ").append(m.title).append(", ").append(o).append(": ").append(r.note())
                            .append('\n');
                }
            }
            sb.append('\n');
        }
        Path out = Path.of("target", "ownership-matrix.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# Ownership strategies: misuse x strategy (generated by OwnershipMatrixTest)\n\n"
                + sb + "\nWhat each scenario saw:\n\n" + notes);
    }
}
