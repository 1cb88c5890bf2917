package jblk.stress;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.runners.TestList;

/**
 * {@code ./jblk stress}: runs jcstress ({@link org.openjdk.jcstress.Main}'s work) with the given
 * arguments, then decides the exit status itself, because jcstress 0.16 exits 0 when the test
 * filter matches nothing or when no JVM configuration could run. It fails (non-zero) when:
 * the filter matched no test; jcstress reported a failure; or, reading back jcstress's own result
 * file, any matched test has no result, a result with an error status, or a forbidden outcome.
 * It ends with a line {@code N passed, N failed} counting tests.
 */
public final class StressMain {
    /** Exit status: everything ran and passed. */
    public static final int OK = 0;
    /** Some test failed, errored, or never ran. */
    public static final int FAILED = 1;
    /** Bad arguments. */
    public static final int USAGE = 2;
    /** The filter matched no test. */
    public static final int NO_TESTS = 3;

    private StressMain() {
    }

    public static void main(String[] args) throws Exception {
        int rc = run(args, System.out);
        System.out.flush();
        System.exit(rc);
    }

    /** Runs jcstress with {@code args}; returns the exit status (see the constants). */
    public static int run(String[] args, PrintStream out) throws Exception {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                new Options(new String[] {"-h"}).parse();
                return OK;
            }
        }
        Options opts = new Options(args);
        if (!opts.parse()) {
            out.println("stress: invalid jcstress arguments (see -h)");
            return USAGE;
        }
        JCStress jcstress = new JCStress(opts);
        SortedSet<String> tests = jcstress.getTests();
        if (tests.isEmpty()) {
            out.println("stress: the test filter '" + opts.getTestFilter() + "' matches no test. Tests in this jar:");
            for (String t : new java.util.TreeSet<>(TestList.tests())) {
                out.println("  " + t);
            }
            out.println("0 passed, 0 failed");
            return NO_TESTS;
        }
        if (opts.shouldList()) {
            tests.forEach(out::println);
            return OK;
        }
        Throwable jcstressFailure = null;
        try {
            if (opts.shouldParse()) {
                jcstress.parseResults();
            } else {
                jcstress.run();
            }
        } catch (Throwable t) {
            // jcstress reports failed tests by throwing from its result printer.
            jcstressFailure = t;
        }
        return verify(opts.getResultFile(), tests, jcstressFailure, out);
    }

    /** Reads jcstress's result file back and grades each matched test; prints the summary line. */
    static int verify(String resultFile, SortedSet<String> tests, Throwable jcstressFailure, PrintStream out)
            throws Exception {
        Map<String, List<TestResult>> byTest = new TreeMap<>();
        for (String t : tests) {
            byTest.put(t, new ArrayList<>());
        }
        if (new File(resultFile).isFile()) {
            InProcessCollector c = new InProcessCollector();
            DiskReadCollector reader = new DiskReadCollector(resultFile, c);
            try {
                reader.dump();
            } finally {
                reader.close();
            }
            Collection<TestResult> all = c.getTestResults();
            for (TestResult r : all) {
                List<TestResult> l = byTest.get(r.getName());
                if (l != null) {
                    l.add(r);
                }
            }
        }
        int passed = 0;
        int failed = 0;
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<TestResult>> e : byTest.entrySet()) {
            String why = grade(e.getValue());
            if (why == null) {
                passed++;
            } else {
                failed++;
                problems.add(e.getKey() + ": " + why);
            }
        }
        out.println();
        out.println("jblk stress: " + tests.size() + " test(s) matched");
        for (String p : problems) {
            out.println("  FAILED " + p);
        }
        if (jcstressFailure != null && problems.isEmpty()) {
            // jcstress failed for a reason the result file does not show: count it.
            out.println("  FAILED jcstress: " + jcstressFailure);
            failed++;
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? OK : FAILED;
    }

    /** Null when the test ran and every result passed; otherwise why not. */
    static String grade(List<TestResult> results) {
        if (results.isEmpty()) {
            return "no result (the test did not run)";
        }
        long samples = 0;
        for (TestResult r : results) {
            if (r.status() != Status.NORMAL) {
                return "status " + r.status() + " " + String.join(" | ", r.getMessages());
            }
            if (!r.grading().isPassed) {
                return "forbidden outcome: " + String.join(" | ", r.grading().failureMessages);
            }
            samples += r.getTotalCount();
        }
        return samples == 0 ? "no samples collected" : null;
    }
}
