package jblk.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StressMainTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFilterMatchingNoTestFails() throws Exception {
        int rc = StressMain.run(new String[] {"-m", "sanity", "-t", "NoSuchTestAnywhere"}, out);
        assertEquals(StressMain.NO_TESTS, rc, output());
        assertTrue(output().contains("matches no test"), output());
        assertTrue(output().contains("jblk.stress.safety.CheckedEndEndTest"), "lists the tests there are: " + output());
        assertTrue(output().contains("0 passed, 0 failed"), output());
    }

    @Test
    void listsTheTestsAFilterMatches() throws Exception {
        int rc = StressMain.run(new String[] {"-l", "-t", "EndEnd"}, out);
        assertEquals(StressMain.OK, rc, output());
        assertTrue(output().contains("jblk.stress.safety.CheckedEndEndTest"), output());
        assertTrue(!output().contains("TagReusePublicationTest"), output());
    }

    @Test
    void atLeastTwelveRaceTestsAreInTheJar() throws Exception {
        int rc = StressMain.run(new String[] {"-l"}, out);
        assertEquals(StressMain.OK, rc, output());
        long n = output().lines().filter(l -> l.startsWith("jblk.")).count();
        assertTrue(n >= 12, "jcstress tests found: " + n + "\n" + output());
    }

    @Test
    void aMatchedTestWithoutResultsFails() throws Exception {
        // What a run that started no JVM leaves behind: no result file. jcstress itself exits 0 then.
        TreeSet<String> tests = new TreeSet<>();
        tests.add("jblk.stress.safety.CheckedEndEndTest");
        int rc = StressMain.verify("/nonexistent/jcstress-results.bin.gz", tests, null, out);
        assertEquals(StressMain.FAILED, rc, output());
        assertTrue(output().contains("did not run"), output());
        assertTrue(output().contains("0 passed, 1 failed"), output());
    }
}
