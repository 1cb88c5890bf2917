package jblk.testkit;

import jblk.testkit.disks.TestDisks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import jblk.safety.Operations;
import org.junit.jupiter.api.Test;

/** The command line: a driver by class name, exit status 0 / 1 / 2, one clear error for bad input. */
class KitMainTest {
    /** An Operations class with a (long) constructor, as --driver-class finds one. */
    public static final class ShortWriteRam extends TestDisks.Ram {
        public ShortWriteRam(long bytes) {
            super(bytes, Bug.SHORT_WRITE);
        }
    }

    /** A DriverFactory class. */
    public static final class Factory implements DriverFactory {
        @Override
        public Operations<?, ?> create(long capacityBytes) {
            return new TestDisks.GoodRam(capacityBytes);
        }
    }

    private static String[] out = new String[1];

    private static int run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = KitMain.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        out[0] = bytes.toString(StandardCharsets.UTF_8);
        return rc;
    }

    @Test
    void aCorrectDriverPassesAndTheRerunLineReplaysIt() {
        assertEquals(0, run("--driver-class", TestDisks.GoodRam.class.getName(), "--ios", "300", "--seed", "5"),
                out[0]);
        assertTrue(out[0].startsWith("rerun: ./jblk torture --driver-class " + TestDisks.GoodRam.class.getName()
                + " --ios 300 --seed 5\n"), out[0]);
        assertTrue(out[0].contains("passed, 0 failed"), out[0]);
        assertEquals(0, run("--driver-class", Factory.class.getName(), "--ios", "200", "--passes", "data"), out[0]);
    }

    @Test
    void aBuggyDriverExitsOneWithTheReport() {
        assertEquals(1, run("--driver-class", ShortWriteRam.class.getName(), "--ios", "300", "--passes", "data",
                "--seed", "9"), out[0]);
        assertTrue(out[0].contains("FAIL data: every read returned the last acknowledged write"), out[0]);
        assertTrue(out[0].contains("1 failed (replay: seed 9)"), out[0]);
    }

    @Test
    void badInputGetsOneClearErrorAndStatusTwo() {
        assertEquals(2, run("--ios", "5"));
        assertTrue(out[0].startsWith("jblk torture: --driver-class is required\n"), out[0]);
        assertEquals(2, run("--driver-class", "no.such.Driver"));
        assertTrue(out[0].startsWith(
                "jblk torture: --driver-class no.such.Driver was not found (no --classpath given)"),
                out[0]);
        assertEquals(2, run("--driver-class", String.class.getName()));
        assertTrue(out[0].startsWith("jblk torture: --driver-class java.lang.String implements neither"), out[0]);
        assertEquals(2, run("--driver-class", TestDisks.GoodRam.class.getName(), "--ops", "read,trim"));
        assertTrue(out[0].startsWith("jblk torture: --ops 'trim' is unknown: allowed read, write, flush, discard,"
                + " write-zeroes"), out[0]);
        assertEquals(2, run("--driver-class", TestDisks.GoodRam.class.getName(), "--classpath", "/no/such.jar"));
        assertTrue(out[0].startsWith("jblk torture: --classpath entry /no/such.jar does not exist"), out[0]);
        assertEquals(2, run("--driver-class", TestDisks.GoodRam.class.getName(), "--submitters", "99"));
        assertTrue(out[0].startsWith("jblk torture: submitters 99 is out of range: allowed 1..16"), out[0]);
    }
}
