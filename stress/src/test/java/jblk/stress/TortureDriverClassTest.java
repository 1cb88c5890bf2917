package jblk.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import jblk.testkit.disks.TestDisks.GoodRam;
import org.junit.jupiter.api.Test;

/** {@code ./jblk torture --driver-class} hands the run to the test kit (here on the kit's own test RAM disk). */
class TortureDriverClassTest {
    @Test
    void driverClassRunsTheKitOnThatDriver() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = TortureMain.run(new String[] {"--driver-class", GoodRam.class.getName(), "--ios", "200", "--seed",
                "3"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("jblk testkit: " + GoodRam.class.getName() + ", seed 3"), out);
        assertTrue(out.contains("== buggy-wrapper =="), out);
    }
}
