package jblk.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a kit run found: a header (driver, seed, settings, how to replay), per pass what ran, and
 * named checks, each PASS or FAIL with the requests that failed it. {@link #assertPassed()} throws
 * an {@link AssertionError} carrying the whole text.
 */
public final class KitReport {
    /** One named check and, when it failed, what went wrong on which requests. */
    public record Check(boolean passed, String name, List<String> details) {
    }

    private final long seed;
    private final StringBuilder text = new StringBuilder();
    private final List<Check> checks = new ArrayList<>();

    KitReport(long seed) {
        this.seed = seed;
    }

    void line(String s) {
        text.append(s).append('\n');
    }

    void check(boolean ok, String name, List<String> details) {
        Check c = new Check(ok, name, ok ? List.of() : List.copyOf(details));
        checks.add(c);
        text.append(ok ? "  PASS " : "  FAIL ").append(name).append('\n');
        for (String d : c.details()) {
            text.append("      ").append(d).append('\n');
        }
    }

    void check(boolean ok, String name) {
        check(ok, name, List.of());
    }

    void finish() {
        text.append(passedCount()).append(" passed, ").append(failedCount()).append(" failed");
        if (failedCount() > 0) {
            text.append(" (replay: seed ").append(seed).append(')');
        }
        text.append('\n');
    }

    /** The seed the run used: the same seed replays the same workload. */
    public long seed() {
        return seed;
    }

    public boolean passed() {
        return failedCount() == 0 && !checks.isEmpty();
    }

    public List<Check> checks() {
        return Collections.unmodifiableList(checks);
    }

    /** The failed checks. */
    public List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    public int passedCount() {
        return (int) checks.stream().filter(Check::passed).count();
    }

    public int failedCount() {
        return checks.size() - passedCount();
    }

    /** The report as printed. */
    public String text() {
        return text.toString();
    }

    /** Throws an {@link AssertionError} with the report when a check failed. */
    public void assertPassed() {
        if (!passed()) {
            throw new AssertionError("the driver failed the jblk test kit\n" + text);
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
