package jblk.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.Bio;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullbDevice;
import jblk.nullblk.NullbParams;
import jblk.safety.Ownership;
import jblk.testkit.Stamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TortureTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aShortCheckedRunPassesEveryCheck() {
        int rc = TortureMain.run(new String[] {"--runtime", "3", "--seed", "7", "--submitters", "2"}, out);
        assertEquals(0, rc, output());
        assertTrue(output().contains("seed 7"), output());
        assertTrue(output().matches("(?s).*\\n[1-9][0-9]* passed, 0 failed\\nseed 7; rerun: ./jblk torture --seed 7 "
                + "--runtime 3 --ownership generation --submitters 2\\n"), output());
        assertTrue(output().contains("every injected violation was refused"), output());
    }

    /** Issue 14: the torture run's faults and data verification with mq-deadline on every device. */
    @Test
    void aShortMqDeadlineRunPassesEveryCheck() {
        int rc = TortureMain.run(new String[] {"--runtime", "3", "--seed", "14", "--submitters", "2",
            "--ioscheduler", "mq-deadline"}, out);
        assertEquals(0, rc, output());
        assertTrue(output().contains("scheduler mq-deadline"), output());
        assertTrue(output().contains("--ioscheduler mq-deadline"), output());
        assertTrue(output().contains("every injected violation was refused"), output());
    }

    /**
     * Issue 11: every strategy runs the torture to the end (REFCOUNT and OWNED must not hang on a
     * leaked request: the timeout takes it once the driver's reference is dropped) and passes its
     * checks; the violations injected are those the strategy refuses.
     */
    @ParameterizedTest
    @ValueSource(strings = {"refcount", "hpref", "owned"})
    void aShortRunOfEachStrategyFinishesAndPasses(String strategy) {
        int rc = TortureMain.run(new String[] {"--runtime", "2", "--seed", "5", "--submitters", "2", "--ownership",
                strategy}, out);
        assertEquals(0, rc, output());
        assertTrue(output().contains("--ownership " + strategy), output());
    }

    @Test
    void aShortDebugRunReportsEachRefusalOnce() {
        int rc = TortureMain.run(new String[] {"--runtime", "3", "--seed", "11", "--ownership", "debug"}, out);
        assertEquals(0, rc, output());
        assertTrue(output().contains("PASS safe: each refusal reported once in debug mode"), output());
    }

    /** Issue 17 item 13: a failing run ends with its seed and rerun command, right under the verdict. */
    @Test
    void aFailingRunEndsWithItsSeedAndRerunCommand() {
        TortureMain.Checks c = new TortureMain.Checks(out);
        c.check(true, "one thing held");
        c.check(false, "another did not");
        assertEquals(1,
                c.finish("seed 42; rerun: ./jblk torture --seed 42 --runtime 5 --ownership checked --submitters 3"));
        String[] lines = output().strip().split("\n");
        assertEquals("1 passed, 1 failed", lines[lines.length - 2]);
        assertEquals("seed 42; rerun: ./jblk torture --seed 42 --runtime 5 --ownership checked --submitters 3",
                lines[lines.length - 1]);
    }

    /** Item 11: a bad option is one line naming it, no usage dump. */
    @Test
    void aBadOptionIsOneLine() {
        assertEquals(2, TortureMain.run(new String[] {"--runtime", "0"}, out));
        String o = output().strip();
        assertEquals(1, o.lines().count(), o);
        assertTrue(o.startsWith("jblk torture: --runtime 0 is out of range: allowed 1..86400 seconds"), o);
    }

    @Test
    void refusesModeOffAndBadRuntimes() {
        assertEquals(2, TortureMain.run(new String[] {"--ownership", "off"}, out));
        assertTrue(output().contains("--ownership off is not allowed"), output());
        assertEquals(2, TortureMain.run(new String[] {"--runtime", "0"}, out));
        assertTrue(output().contains("--runtime 0 is out of range: allowed 1..86400"), output());
    }

    /** The verifier must notice data that changed behind the model's back. */
    @Test
    void aReadOfCorruptedDataIsAMismatch() throws Exception {
        NullbDevice dev = new NullbDevice("verify0",
                NullbParams.parse("memory_backed=1 size=1 irqmode=0 poll_queues=0"),
                DriverKind.SAFE, Ownership.CHECKED);
        dev.power(true);
        try {
            DeviceRun run = new DeviceRun(5, "verify", dev, new DataModel(2048, List.of()), null, 0);
            Submitter sub = new Submitter(run, 0, 1, System.nanoTime());
            ByteBuffer buf = ByteBuffer.allocate(8 * 512);
            for (int i = 0; i < 8; i++) {
                Stamp.write(buf, i * 512, 5, 100 + i, 1);
            }
            assertTrue(run.model.tryLock(100, 8));
            SwQueue q = run.disk.openQueue();
            q.submitBio(new Io(sub, ReqOp.WRITE, 100, 8, 0, buf, 1).bio);
            // Someone else overwrites sector 103 with another sector's stamp.
            ByteBuffer evil = ByteBuffer.allocate(512);
            Stamp.write(evil, 0, 5, 999, 1);
            CountDownLatch done = new CountDownLatch(1);
            q.submitBio(new Bio().set(ReqOp.WRITE, 103, 512, evil, 0, 0, b -> done.countDown()));
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertTrue(run.model.tryLock(100, 8));
            q.submitBio(new Io(sub, ReqOp.READ, 100, 8, 0, ByteBuffer.allocate(8 * 512), 0).bio);
            q.close();
            assertEquals(1, run.tally.mismatches.sum());
            assertEquals(8, run.tally.sectorsVerified.sum());
            String note = run.tally.notes().iterator().next();
            assertTrue(note.contains("sector 103 should hold write seq 1 but holds another sector's stamp"), note);
        } finally {
            dev.close();
        }
    }
}
