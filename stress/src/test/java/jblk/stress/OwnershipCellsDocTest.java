package jblk.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;

/**
 * docs/OWNERSHIP.md promises (issue 11) that every "undetected" or "corrupted" cell of its matrix is
 * an ACCEPTABLE_INTERESTING outcome of a jcstress test under that strategy. This reads the matrix and
 * the "How each scenario runs" table, and checks each such cell names, in its row, a jcstress test
 * of that strategy ({@code strategy: `Test` `outcome`}) that exists, has FORBIDDEN outcomes, and
 * grades the named outcome ACCEPTABLE_INTERESTING the way jcstress does (an exact id first, then the
 * first id that matches as a regular expression, then the default).
 */
class OwnershipCellsDocTest {
    private static final List<String> STRATEGIES = List.of("off", "refcount", "generation", "hpref", "owned", "debug");
    private static final Pattern ENTRY = Pattern.compile(
            "\\b(" + String.join("|", STRATEGIES) + "): `([A-Za-z0-9.]+)` `([^`]+)`");

    private record Entry(String strategy, String test, String outcome) {
    }

    @Test
    void everyUndetectedOrCorruptedCellIsAnInterestingJcstressOutcome() throws Exception {
        List<String> lines = Files.readAllLines(ownershipDoc());
        Map<String, Map<String, String>> matrix = matrix(lines);
        Map<String, List<Entry>> jcstress = jcstressColumn(lines);
        assertEquals(matrix.keySet(), jcstress.keySet(), "the two tables name the same misuses");
        int documented = 0;
        for (Map.Entry<String, Map<String, String>> row : matrix.entrySet()) {
            String misuse = row.getKey();
            List<Entry> entries = jcstress.get(misuse);
            for (Map.Entry<String, String> cell : row.getValue().entrySet()) {
                boolean refused = cell.getValue().equals("refused");
                boolean named = entries.stream().anyMatch(e -> e.strategy().equals(cell.getKey()));
                assertEquals(!refused, named, misuse + " under " + cell.getKey() + " is " + cell.getValue()
                        + (refused ? ", yet a jcstress outcome documents it"
                                : ", and no jcstress outcome documents it"));
            }
            for (Entry e : entries) {
                checkEntry(misuse, e);
                documented++;
            }
        }
        assertTrue(documented >= 12, "the 12 undetected or corrupted cells of issue 11, found " + documented);
    }

    private static void checkEntry(String misuse, Entry e) throws ClassNotFoundException {
        String where = misuse + ", " + e.strategy() + ": " + e.test();
        Class<?> c = Class.forName("jblk.stress.safety." + e.test().replace('.', '$'));
        assertNotNull(c.getAnnotation(JCStressTest.class), where + " is not a jcstress test");
        assertTrue(e.test().toLowerCase(Locale.ROOT).contains(e.strategy()), where + ": the test's name does not say"
                + " its strategy");
        Outcome[] outcomes = c.getAnnotationsByType(Outcome.class);
        assertTrue(List.of(outcomes).stream().anyMatch(o -> o.expect() == Expect.FORBIDDEN),
                where + " has no FORBIDDEN outcome");
        assertEquals(Expect.ACCEPTABLE_INTERESTING, grade(outcomes, e.outcome()), where + ": outcome '" + e.outcome()
                + "'");
    }

    /** jcstress's grading of one observed outcome: an exact id, else the first matching regex, else the default. */
    private static Expect grade(Outcome[] outcomes, String observed) {
        for (Outcome o : outcomes) {
            for (String id : o.id()) {
                if (id.equals(observed)) {
                    return o.expect();
                }
            }
        }
        for (Outcome o : outcomes) {
            for (String id : o.id()) {
                if (!id.isEmpty() && Pattern.matches(id, observed)) {
                    return o.expect();
                }
            }
        }
        for (Outcome o : outcomes) {
            if (o.id().length == 0 || (o.id().length == 1 && o.id()[0].isEmpty())) {
                return o.expect();
            }
        }
        return Expect.UNKNOWN;
    }

    /** The matrix: misuse -> strategy -> refused / undetected / corrupted. */
    private static Map<String, Map<String, String>> matrix(List<String> lines) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        for (List<String> row : table(lines, "| misuse | " + String.join(" | ", STRATEGIES) + " |")) {
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < STRATEGIES.size(); i++) {
                String cell = row.get(i + 1);
                assertTrue(List.of("refused", "undetected", "corrupted").contains(cell), "matrix cell '" + cell + "'");
                cells.put(STRATEGIES.get(i), cell);
            }
            m.put(row.get(0), cells);
        }
        assertFalse(m.isEmpty(), "docs/OWNERSHIP.md has the matrix");
        return m;
    }

    /** The "How each scenario runs" table's jcstress column: misuse -> its {@code strategy: `Test` `outcome`}. */
    private static Map<String, List<Entry>> jcstressColumn(List<String> lines) {
        Map<String, List<Entry>> m = new LinkedHashMap<>();
        for (List<String> row : table(lines, "| misuse | scenario (`OwnershipMatrixTest`) | jcstress |")) {
            List<Entry> entries = new ArrayList<>();
            Matcher x = ENTRY.matcher(row.get(2));
            while (x.find()) {
                entries.add(new Entry(x.group(1), x.group(2), x.group(3)));
            }
            m.put(row.get(0), entries);
        }
        assertFalse(m.isEmpty(), "docs/OWNERSHIP.md has the table of how each scenario runs");
        return m;
    }

    /** The rows (cells trimmed) of the Markdown table whose header line is {@code header}. */
    private static List<List<String>> table(List<String> lines, String header) {
        int h = lines.indexOf(header);
        assertTrue(h >= 0, "docs/OWNERSHIP.md has a table headed " + header);
        List<List<String>> rows = new ArrayList<>();
        for (int i = h + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String l = lines.get(i);
            List<String> cells = new ArrayList<>();
            for (String c : l.substring(1, l.length() - 1).split("\\|", -1)) {
                cells.add(c.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static Path ownershipDoc() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("docs").resolve("OWNERSHIP.md");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("docs/OWNERSHIP.md not found above " + Path.of("").toAbsolutePath());
    }
}
