package jblk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;

/**
 * Thread placement the Linux way, {@code sched_setaffinity(2)} through util-linux's {@code taskset}
 * (the JDK has no affinity API, and a native binding would be a dependency for a few calls made
 * outside every measured window). What {@code ./jblk compare --pin split} is built from, like fio's
 * {@code cpus_allowed_policy=split}.
 */
final class CpuAffinity {
    private static final Pattern THREAD_LINE = Pattern.compile("^\"(.*)\" .* nid=(0x[0-9a-fA-F]+|\\d+) ");

    private CpuAffinity() {
    }

    /** The CPUs this process may run on ({@code Cpus_allowed_list} of /proc/self/status); empty off Linux. */
    static List<Integer> allowed() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (l.startsWith("Cpus_allowed_list:")) {
                    return parseList(l.substring(l.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: no placement
        }
        return List.of();
    }

    /** A kernel CPU list ("0-3,8,10-11") as CPU numbers, ascending as written. */
    static List<Integer> parseList(String list) {
        List<Integer> out = new ArrayList<>();
        if (list.isEmpty()) {
            return out;
        }
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            int lo = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
            int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1).trim());
            if (lo < 0 || hi < lo) {
                throw new IllegalArgumentException("not a CPU list: " + list);
            }
            for (int c = lo; c <= hi; c++) {
                out.add(c);
            }
        }
        return out;
    }

    /** Why placement cannot work here, or null when it can: /proc and a working {@code taskset}. */
    static String unavailableReason() {
        if (allowed().isEmpty()) {
            return "no /proc/self/status Cpus_allowed_list (not Linux?)";
        }
        try {
            run("taskset", "-p", Long.toString(ProcessHandle.current().pid()));
            currentTid();
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** The calling thread's kernel thread id, from /proc/thread-self ("PID/task/TID"). */
    static long currentTid() throws IOException {
        Path p = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Long.parseLong(p.getFileName().toString());
    }

    /** Pins one kernel thread (a tid, not the whole process) to {@code cpu}. */
    static void pin(long tid, int cpu) throws IOException {
        run("taskset", "-p", "-c", Integer.toString(cpu), Long.toString(tid));
    }

    /** This JVM's Java threads by name, with their kernel thread ids (the {@code nid} of a thread dump). */
    static Map<String, Long> threadIds() throws IOException {
        String dump;
        try {
            dump = DiagnosticCommand.invoke("threadPrint");
        } catch (JMException e) {
            throw new IOException("no thread dump to find thread ids in: " + e, e);
        }
        Map<String, Long> ids = new HashMap<>();
        for (String line : dump.split("\n")) {
            Matcher m = THREAD_LINE.matcher(line);
            if (m.find()) {
                String nid = m.group(2);
                ids.put(m.group(1), nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid));
            }
        }
        return ids;
    }

    private static void run(String... cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(cmd[0] + " (util-linux) is not runnable here: " + e.getMessage(), e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + " interrupted", e);
        }
    }
}
