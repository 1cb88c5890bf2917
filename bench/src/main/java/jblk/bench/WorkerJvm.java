package jblk.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@link CompareWorker} JVM serving one variant of one workload, driven over its stdin/stdout. */
final class WorkerJvm implements AutoCloseable {
    private final Variant variant;
    private final Process process;
    private final BufferedReader in;
    private final PrintWriter cmd;

    WorkerJvm(Variant v, String workload, List<String> jvmArgs, int mbSizeMiB) throws IOException {
        this.variant = v;
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : jvmArgs) {
            // e.g. one JFR file per worker
            c.add(a.replace("{variant}", v.label()).replace("{workload}", workload));
        }
        c.add("-cp");
        c.add(System.getProperty("jblk.worker.classpath", System.getProperty("java.class.path")));
        c.add(CompareWorker.class.getName());
        c.add(v.label());
        c.add(Integer.toString(mbSizeMiB));
        ProcessBuilder pb = new ProcessBuilder(c);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        this.process = pb.start();
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.cmd = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    long pid() {
        return process.pid();
    }

    void awaitReady() throws IOException {
        String l = in.readLine();
        if (l == null || !l.startsWith("ready ")) {
            throw new IllegalStateException("the " + variant.label() + " worker JVM did not start: " + l);
        }
    }

    String call(String command) throws IOException {
        send(command);
        return receive(command);
    }

    void send(String command) {
        cmd.println(command);
    }

    String receive(String command) throws IOException {
        String l = in.readLine();
        if (l == null) {
            throw new IllegalStateException("the " + variant.label() + " worker JVM died during '" + command + "'");
        }
        if (l.startsWith("error ")) {
            throw new IllegalStateException("the " + variant.label() + " worker failed '" + command + "': "
                    + l.substring(6));
        }
        return l;
    }

    /** A measured run, from the worker's {@code result k=v ...} answer. */
    static CompareRound.Run parseRun(String line) {
        if (!line.startsWith("result ")) {
            throw new IllegalStateException("worker answered: " + line);
        }
        Map<String, String> kv = new HashMap<>();
        for (String f : line.substring(7).trim().split("\\s+")) {
            int eq = f.indexOf('=');
            kv.put(f.substring(0, eq), f.substring(eq + 1));
        }
        return new CompareRound.Run(Double.parseDouble(kv.get("iops")), Long.parseLong(kv.get("ios")),
                Long.parseLong(kv.get("cpu")), Long.parseLong(kv.get("p99")), Long.parseLong(kv.get("alloc")),
                Long.parseLong(kv.get("jitms")), kv.get("hctx"), Long.parseLong(kv.getOrDefault("switches", "-1")));
    }

    @Override
    public void close() {
        cmd.println("exit");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
