package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jblk.blockcore.SwQueue;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;

/** The variants of a compare round taking turns: the schedule, a paused job, a run in turns. */
class TurnsTest {
    @Test
    void scheduleCoversTheRampAndTheWindowInWholeTurns() {
        // 5 ms turns of 4 workers: a 32 ms ramp of the round takes 2 cycles of 20 ms (rounded up), a
        // 100 ms window of this worker's 20
        Turns t = Turns.of(1_000, 5_000_000L, 4, 2, 32_000_000L, 100_000_000L);
        assertEquals(2, t.rampCycles());
        assertEquals(20, t.cycles());
        assertEquals(1_000 + 2 * 5_000_000L, t.start(0), "slot 2: after slots 0 and 1");
        assertEquals(1_000 + (4 + 2) * 5_000_000L, t.start(1), "one cycle is every slot's turn");
        assertEquals(t.start(1) + 5_000_000L, t.end(1));
        assertEquals(1_000 + 22 * 4 * 5_000_000L, t.roundEnd(), "every slot's last turn");
        assertEquals(22, t.allCycles());
        assertEquals(1, Turns.of(0, 5_000_000L, 2, 0, 0, 1).cycles(), "one measured turn at least");
        assertEquals(0, Turns.of(0, 5_000_000L, 2, 0, 0, 1).rampCycles());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Turns.of(0, 5_000_000L, 2, 2, 0, 1));
        assertTrue(e.getMessage().contains("slot 2 of 2") && e.getMessage().contains("0 <= slot < slots"),
                e.getMessage());
    }

    @Test
    void pausedJobSubmitsNothingAndItsInFlightIoCompletes() throws Exception {
        try (NullBlkModule m = NullBlkModule.load("irqmode=1 poll_queues=0 gb=1", DriverKind.SAFE, Ownership.CHECKED);
                SwQueue q = m.device(0).disk().openQueue()) {
            IoJob j = new IoJob(IoJobTest.spec(RwMode.RANDREAD, 32, 1 << 30, 0, VerifyMode.NONE), q, 0);
            j.setPhase(IoJob.MEASURE);   // counted, and the counts published to this thread
            j.pause();
            j.start();
            Thread.sleep(50);
            assertEquals(0, j.count(IoJob.DIR_READ), "started paused: nothing done");
            j.resume();
            awaitTrue(() -> j.count(IoJob.DIR_READ) > 10_000, "resumed: I/O runs");
            j.pause();
            long[] last = {-1};
            awaitTrue(() -> {   // what was in flight completes, then nothing more
                long c = j.count(IoJob.DIR_READ);
                boolean still = c == last[0];
                last[0] = c;
                return still && j.thread.getState() == Thread.State.WAITING;
            }, "paused: the job drains and parks");
            Thread.sleep(50);
            assertEquals(last[0], j.count(IoJob.DIR_READ), "paused: nothing more submitted");
            assertEquals(Thread.State.WAITING, j.thread.getState(), "paused with nothing in flight: parked, no timer");
            j.resume();
            awaitTrue(() -> j.count(IoJob.DIR_READ) > last[0] + 10_000, "resumed again");
            j.setPhase(IoJob.STOP);
            j.thread.join(10_000);
            assertEquals(j.submittedTotal(), j.completedTotal(), "stopped: drained");
            assertEquals(0, j.error(), j.errorDetail());
        }
    }

    @Test
    void stopWhilePausedEndsTheJob() throws Exception {
        try (NullBlkModule m = NullBlkModule.load("irqmode=1 poll_queues=0 gb=1", DriverKind.SAFE, Ownership.CHECKED);
                SwQueue q = m.device(0).disk().openQueue()) {
            IoJob j = new IoJob(IoJobTest.spec(RwMode.RANDREAD, 32, 1 << 30, 0, VerifyMode.NONE), q, 0);
            j.start();
            awaitTrue(() -> j.thread.getState() != Thread.State.NEW, "started");
            Thread.sleep(20);
            j.pause();   // possibly with I/O in flight
            j.setPhase(IoJob.STOP);   // never resumed
            j.thread.join(10_000);
            assertTrue(!j.thread.isAlive(), "a paused job ends on STOP without a resume");
            assertEquals(j.submittedTotal(), j.completedTotal(), "and drains first");
        }
    }

    @Test
    void runInTurnsMeasuresOnlyItsOwnTurns() throws Exception {
        try (NullBlkModule m = NullBlkModule.load("irqmode=1 poll_queues=0 gb=1", DriverKind.SAFE, Ownership.CHECKED);
                SwQueue q = m.device(0).disk().openQueue()) {
            IoJob j = new IoJob(IoJobTest.spec(RwMode.RANDREAD, 32, 1 << 30, 0, VerifyMode.NONE), q, 0);
            // slot 1 of 3, the other two idle: 10 measured turns of 4 ms after 2 ramp cycles (24 ms)
            long t0 = System.nanoTime() + 5_000_000L;
            Turns t = Turns.of(t0, 4_000_000L, 3, 1, 20_000_000L, 40_000_000L);
            assertEquals(2, t.rampCycles());
            WorkloadRunner.RunResult r = WorkloadRunner.runTurns(List.of(j), t);
            long wall = System.nanoTime() - t0;
            assertTrue(System.nanoTime() >= t.roundEnd(), "the result is put together after the round's last turn");
            assertEquals(j.submittedTotal(), j.completedTotal(), "nothing left in flight");
            assertTrue(r.windowIos > 0 && r.windowIos < j.completedTotal(), "ramp turns not counted: " + r.windowIos);
            assertTrue(r.cpuNsAll > 0, "the job's and the softirq thread's CPU time: " + r.cpuNsAll);
            // the window's time is the sum of its own turns: a third of each measured cycle, not the
            // cycles' wall time (a late wake-up makes a turn longer, never the others' turns its own)
            long measuredCycles = t.end(t.allCycles() - 1) - t.start(t.rampCycles()) + 2 * t.sliceNs();
            assertTrue(r.windowNs > 0 && r.windowNs < measuredCycles * 2 / 3 && r.windowNs < wall,
                    "turn time " + r.windowNs + " ns of " + measuredCycles + " ns measured cycles");
            assertEquals(r.windowNs, r.measureNs);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "not within 10 s: " + what);
            Thread.sleep(5);
        }
    }
}
