package jblk.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.management.JMException;

/**
 * HotSpot's compile queue and compiled code, as {@code jcmd PID Compiler.queue} and {@code
 * Compiler.codelist} print them (the DiagnosticCommand MBean, in-process). The JIT's total compile
 * time only grows when a compile ends, so a JVM whose compiler threads had no CPU looks quiet while
 * its hot path still waits in the queue: measured in compare's sets, four JVMs warming up on 2 CPUs
 * ended warm-up "quiet", then compiled 13-116 ms inside the first measured windows, which ran 5-25%
 * above the set's settled CPU per I/O.
 */
final class JitQueue {
    private JitQueue() {
    }

    /** The JIT's compile time so far, in ms (it grows when a compile ends); -1 when this JVM does not say. */
    static long totalMs() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Compiles running or queued now; -1 when this JVM cannot say. */
    static int pending() {
        String q;
        try {
            q = DiagnosticCommand.invoke("compilerQueue");
        } catch (JMException | RuntimeException e) {
            return -1;
        }
        return count(q);
    }

    /** Task lines in a Compiler.queue listing: every line but the headers, "Empty" and blanks. */
    static int count(String listing) {
        int n = 0;
        for (String line : listing.split("\n")) {
            String l = line.trim();
            if (!l.isEmpty() && !l.equals("Empty") && !l.endsWith(":")) {
                n++;
            }
        }
        return n;
    }

    /**
     * The C2 code in use now for the methods {@code keep} accepts: compile id to {@code Class::method},
     * from Compiler.codelist; null when this JVM cannot say. Two answers differ when one of those
     * methods was compiled at tier 4 or had its code thrown away in between.
     */
    static SortedMap<Long, String> c2Code(Predicate<String> keep) {
        String list;
        try {
            list = DiagnosticCommand.invoke("compilerCodelist");
        } catch (JMException | RuntimeException e) {
            return null;
        }
        return c2Code(list, keep);
    }

    /**
     * {@link #c2Code(Predicate)} of a Compiler.codelist listing, whose lines are "id level state
     * Class.method(signature) [addresses]" (state 0: in use).
     */
    static SortedMap<Long, String> c2Code(String codelist, Predicate<String> keep) {
        SortedMap<Long, String> out = new TreeMap<>();
        for (String line : codelist.split("\n")) {
            String[] f = line.trim().split(" ", 5);
            if (f.length < 4 || !f[1].equals("4") || !f[2].equals("0") || !f[0].chars().allMatch(Character::isDigit)) {
                continue;
            }
            int paren = f[3].indexOf('(');
            String name = paren < 0 ? f[3] : f[3].substring(0, paren);
            int dot = name.lastIndexOf('.');
            name = dot < 0 ? name : name.substring(0, dot) + "::" + name.substring(dot + 1);
            if (keep.test(name)) {
                out.put(Long.parseLong(f[0]), name);
            }
        }
        return out;
    }

    /** The methods whose code is in one of {@code before} and {@code after} but not the other, sorted, each once. */
    static List<String> changed(SortedMap<Long, String> before, SortedMap<Long, String> after) {
        SortedSet<String> names = new TreeSet<>();
        for (Map.Entry<Long, String> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                names.add(e.getValue());
            }
        }
        for (Map.Entry<Long, String> e : after.entrySet()) {
            if (!before.containsKey(e.getKey())) {
                names.add(e.getValue());
            }
        }
        return List.copyOf(names);
    }

    /**
     * Waits (at most {@code maxMs}) until nothing is compiling or queued and no compile ended
     * since the last look a millisecond before, so this JVM's compiles do not run while another
     * worker is measured. Returns whether it got there. Looks every 1 ms, not 10: compare waits
     * here after every run, and on a busy machine 10 ms sleeps made it 30 ms of each 0.18 s run
     * (`mvn -B verify` looping, load 5).
     */
    static boolean awaitQuiet(long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + maxMs * 1_000_000L;
        long last = totalMs();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1);
            long now = totalMs();
            if (now == last && pending() <= 0) {
                return true;
            }
            last = now;
        }
        return false;
    }
}
