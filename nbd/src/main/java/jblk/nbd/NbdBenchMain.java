package jblk.nbd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.GenDisk;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.safety.Ownership;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jblk nbd-bench}: fio's nbd engine against a jblk memory-backed disk served in this JVM
 * and against {@code nbdkit memory}, both on Unix sockets, in one interleaved run: for every
 * repetition and cell (rw x iodepth) both servers run back to back, the order alternating, so
 * machine noise hits both alike. Prints IOPS and p99 completion latency per server and the ratio.
 */
@Command(name = "jblk nbd-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "fio (ioengine=nbd, 4 KiB) against jblk's NBD server and nbdkit memory, interleaved; "
                + "IOPS, p99 latency and the jblk/nbdkit ratio per cell.")
public final class NbdBenchMain implements Callable<Integer> {
    @Option(names = "--runtime", paramLabel = "S", defaultValue = "10",
            description = "seconds per fio run (default ${DEFAULT-VALUE})")
    int runtime;

    @Option(names = "--ramp", paramLabel = "S", defaultValue = "2",
            description = "fio ramp_time, excluded (default ${DEFAULT-VALUE})")
    int ramp;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "3",
            description = "repetitions (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--size", paramLabel = "MiB", defaultValue = "256",
            description = "disk size for both servers (default ${DEFAULT-VALUE})")
    long sizeMiB;

    @Option(names = "--cells", paramLabel = "RW:QD,...", split = ",",
            defaultValue = "randread:1,randread:32,randwrite:1,randwrite:32",
            description = "cells (default ${DEFAULT-VALUE})")
    List<String> cells;

    @Option(names = "--bs", defaultValue = "4k", description = "block size (default ${DEFAULT-VALUE})")
    String bs;

    @Option(names = "--nullb", paramLabel = "PARAMS",
            defaultValue = "memory_backed=1 irqmode=0 submit_queues=1 poll_queues=0",
            description = "null_blk parameters of the jblk disk; size=<--size> is added (default \"${DEFAULT-VALUE}\")")
    String nullb;

    @Option(names = "--driver", defaultValue = "safe", description = "raw|safe (default ${DEFAULT-VALUE})")
    String driver;

    @Option(names = "--ownership", defaultValue = "checked",
            description = "off|checked|debug (default ${DEFAULT-VALUE})")
    String ownership;

    @Option(names = "--spin-us", paramLabel = "US,...", split = ",", defaultValue = "50",
            description = "the jblk server's socket polling before it sleeps, as ./jblk nbd --spin-us; several values "
                    + "run several jblk servers in the same interleaved run (e.g. 50,0) (default ${DEFAULT-VALUE})")
    List<Long> spinUs;

    @Option(names = "--fio", defaultValue = "fio", description = "fio executable")
    String fio;

    @Option(names = "--nbdkit", defaultValue = "nbdkit", description = "nbdkit executable")
    String nbdkit;

    @Option(names = "--output", paramLabel = "FILE", description = "also write the table to FILE")
    Path output;

    /** The servers under test, jblk's first (one per --spin-us value) and nbdkit last, with their URIs. */
    private record Servers(List<String> names, List<String> uris, Process nbdkit) {
        int count() {
            return names.size();
        }

        int nbdkitIndex() {
            return names.size() - 1;
        }
    }

    /** Per cell, server and repetition: IOPS, p99 (ns), server CPU per I/O (us), fio's CPU (%). */
    @SuppressWarnings("ArrayRecordComponent") // a private holder, never compared or hashed
    private record Samples(double[][][] iops, double[][][] p99, double[][][] cpu, double[][][] fioCpu) {
        Samples(int cells, int servers, int reps) {
            this(new double[cells][servers][reps], new double[cells][servers][reps], new double[cells][servers][reps],
                    new double[cells][servers][reps]);
        }
    }

    /** picocli fills the options. */
    public NbdBenchMain() {
    }

    @Override
    public Integer call() throws Exception {
        List<String[]> parsed = checkOptions();
        NbdLog.setLevel(NbdLog.Level.WARN);
        Path dir = Files.createTempDirectory("jblk-nbd-bench");
        DriverKind kind = DriverKind.parse(driver);
        Ownership own = Ownership.parse(ownership);
        String params = nullb + " size=" + sizeMiB;
        List<NbdServer> jblk = new ArrayList<>();
        Process[] kit = new Process[1];
        try (NullBlkModule module = NullBlkModule.load(params, kind, own)) {
            GenDisk disk = module.device(0).disk();
            NbdExport export = new NbdExport(disk, "", NbdMain.describe(disk, kind, own), false);
            Servers servers = startServers(export, dir, jblk, kit);
            printHeader(export, params, kind, own);
            fillAndWarm(servers, dir);
            long allocBefore = allocated(jblk);
            long reqBefore = requests(jblk);
            List<String> example = new ArrayList<>();
            Samples samples = measure(parsed, servers, dir, example);
            report(parsed, servers, samples, requests(jblk) - reqBefore, allocated(jblk) - allocBefore, example);
        } finally {
            stop(jblk, kit[0], dir);
        }
        return 0;
    }

    /** Checks the numbers, the tools and the cells; returns the cells as [rw, qd]. */
    private List<String[]> checkOptions() {
        for (long us : spinUs) {
            SpinPolicy.of(us * 1000); // checks the range
        }
        if (runtime < 1 || reps < 1 || ramp < 0 || sizeMiB < 16) {
            throw new IllegalArgumentException(
                    "--runtime and --reps must be at least 1, --ramp at least 0, --size at least 16");
        }
        requireTool(fio, "fio");
        requireTool(nbdkit, "nbdkit");
        List<String[]> parsed = new ArrayList<>();
        for (String c : cells) {
            String[] p = c.trim().split(":");
            if (p.length != 2 || !p[0].matches("(rand)?(read|write)") || !p[1].matches("[1-9][0-9]*")) {
                throw new IllegalArgumentException("cell '" + c
                        + "' is invalid: expected RW:QD with RW one of read, write, "
                        + "randread, randwrite and QD a positive number");
            }
            parsed.add(p);
        }
        return parsed;
    }

    /**
     * One jblk server per --spin-us value (all on the same disk, used one at a time), then nbdkit.
     * Each is recorded in {@code jblk} / {@code kit} as soon as it runs, so {@link #stop} finds it.
     */
    private Servers startServers(NbdExport export, Path dir, List<NbdServer> jblk, Process[] kit) throws Exception {
        List<String> name = new ArrayList<>();
        List<String> uri = new ArrayList<>();
        for (long us : spinUs) {
            NbdServer.Options o = NbdServer.Options.defaults().withSpin(SpinPolicy.of(us * 1000));
            NbdServer srv = NbdServer.unix(export, dir.resolve("jblk-" + us + ".sock"), o);
            jblk.add(srv);
            name.add(spinUs.size() == 1 ? "jblk" : "jblk/spin" + us);
            uri.add(srv.uri());
        }
        kit[0] = startNbdkit(dir);
        name.add("nbdkit");
        uri.add("nbd+unix:///?socket=" + dir.resolve("nbdkit.sock"));
        return new Servers(name, uri, kit[0]);
    }

    private void printHeader(NbdExport export, String params, DriverKind kind, Ownership own) throws Exception {
        System.out.printf(Locale.ROOT, "nbd-bench: %s vs nbdkit %s memory %dM; fio %s, bs=%s, runtime %d s "
                + "(+%d s ramp), %d reps, interleaved%n", export.description(), nbdkitVersion(), sizeMiB,
                fioVersion(), bs, runtime, ramp, reps);
        System.out.println("nbd-bench: jblk null_blk parameters: " + params + " (driver " + kind + ", ownership "
                + own + "); socket polling: " + spinUs.stream().map(u -> u + " us").reduce((x, y) -> x + ", " + y).get()
                + " (at most " + SpinPolicy.of(0).maxSpinners() + " polling reader(s))");
        System.out.println("nbd-bench: load average at start: " + loadAverage() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
    }

    /** Fills both disks so reads read data, then warms every server up (jblk's JIT). */
    private void fillAndWarm(Servers servers, Path dir) throws Exception {
        for (int s : new int[] {0, servers.nbdkitIndex()}) {
            Path out = dir.resolve("fill-" + s + ".json");
            FioRun.run(FioRun.command(fio, servers.uris().get(s), "write", "1M", 4, sizeMiB, 0, 0, out), out, "write");
        }
        for (int s = 0; s < servers.count(); s++) {
            Path out = dir.resolve("warm-" + s + ".json");
            FioRun.run(FioRun.command(fio, servers.uris().get(s), "randrw", bs, 32, sizeMiB, 3, 0, out), out,
                    "randread");
        }
    }

    /** Every cell on every server, interleaved, --reps times; prints each run; {@code example} gets the first command.
    * */
    private Samples measure(List<String[]> parsed, Servers servers, Path dir, List<String> example) throws Exception {
        int n = servers.count();
        Samples m = new Samples(parsed.size(), n, reps);
        long jblkPid = ProcessHandle.current().pid();
        for (int r = 0; r < reps; r++) {
            for (int c = 0; c < parsed.size(); c++) {
                String rw = parsed.get(c)[0];
                int qd = Integer.parseInt(parsed.get(c)[1]);
                for (int k = 0; k < n; k++) {
                    int s = (r + c + k) % n; // rotate who goes first, per cell and repetition
                    Path out = dir.resolve(s + "-" + rw + "-" + qd + "-" + r + ".json");
                    List<String> cmd = FioRun.command(fio, servers.uris().get(s), rw, bs, qd, sizeMiB, runtime, ramp,
                            out);
                    if (example.isEmpty()) {
                        example.addAll(cmd);
                    }
                    long pid = s == servers.nbdkitIndex() ? servers.nbdkit().pid() : jblkPid;
                    long cpu0 = cpuTicks(pid);
                    FioRun.Result res = FioRun.run(cmd, out, rw);
                    long cpu1 = cpuTicks(pid);
                    m.iops()[c][s][r] = res.iops();
                    m.p99()[c][s][r] = res.p99Ns();
                    m.fioCpu()[c][s][r] = res.fioCpuPct();
                    // Server CPU over the whole fio run (ramp included) per I/O counted after the ramp:
                    // scaled by runtime / (runtime + ramp) to compare like with like.
                    m.cpu()[c][s][r] = cpu0 < 0 || cpu1 < 0 ? Double.NaN
                            : (cpu1 - cpu0) * (1e6 / TICKS_PER_SECOND) * runtime / (runtime + ramp) / res.ios();
                    System.out.printf(Locale.ROOT,
                            "  rep %d %-10s qd%-3d %-14s %9.0f IOPS  p99 %7.1f us  server %5.1f us "
                            + "CPU/IO  fio %3.0f%% CPU%n", r + 1, rw, qd, servers.names().get(s), res.iops(),
                            res.p99Ns() / 1000, m.cpu()[c][s][r], res.fioCpuPct());
                }
            }
        }
        return m;
    }

    /** The table, jblk's allocation per request and an example fio command; the table also to --output. */
    private void report(List<String[]> parsed, Servers servers, Samples m, long reqs, long alloc, List<String> example)
            throws IOException {
        String table = table(parsed, servers.names(), m.iops(), m.p99(), m.cpu(), m.fioCpu());
        System.out.println();
        System.out.print(table);
        String allocLine = reqs > 0 && alloc >= 0 ? String.format(Locale.ROOT,
                "jblk server heap allocation on connection threads: %.2f bytes/request (%d bytes, %d requests, "
                + "connection setup included)%n", (double) alloc / reqs, alloc, reqs) : "";
        System.out.print(allocLine);
        System.out.println("fio command per run, e.g.: " + String.join(" ", example));
        if (output != null) {
            Path outDir = output.toAbsolutePath().getParent();
            if (outDir != null) {
                Files.createDirectories(outDir);   // like fio's --output: missing directories are made
            }
            Files.writeString(output, table + allocLine, StandardCharsets.UTF_8);
        }
    }

    /** Closes the jblk servers, stops nbdkit and removes the sockets and fio outputs. */
    private static void stop(List<NbdServer> jblk, Process kit, Path dir) throws Exception {
        for (NbdServer srv : jblk) {
            srv.close();
        }
        if (kit != null) {
            kit.destroy();
            kit.waitFor(10, TimeUnit.SECONDS);
        }
        try (var st = Files.list(dir)) {
            for (Path p : (Iterable<Path>) st::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static long allocated(List<NbdServer> servers) {
        return servers.stream().mapToLong(NbdServer::transmissionAllocatedBytes).sum();
    }

    private static long requests(List<NbdServer> servers) {
        return servers.stream().mapToLong(NbdServer::completedRequests).sum();
    }

    /** Per cell, one line per server: IOPS, p99, server CPU per I/O, fio's CPU, and the ratio to nbdkit (the last). */
    static String table(List<String[]> cells, List<String> names, double[][][] iops, double[][][] p99, double[][][] cpu,
            double[][][] fioCpu) {
        int kit = names.size() - 1;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-14s %-14s %26s %10s %12s %8s  %-22s %s%n", "cell", "server",
                "IOPS median [min-max]", "p99", "CPU us/IO", "fio CPU", "vs nbdkit [min-max]", "1.2x target"));
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c)[0] + " qd" + cells.get(c)[1];
            double[] k = iops[c][kit];
            for (int s = 0; s < names.size(); s++) {
                double[] j = iops[c][s];
                String vs = "";
                String target = "";
                if (s != kit) {
                    double[] ratios = new double[j.length];
                    for (int r = 0; r < j.length; r++) {
                        ratios[r] = j[r] / k[r];
                    }
                    double ratio = median(j) / median(k);
                    vs = String.format(Locale.ROOT, "%5.2fx [%.2f-%.2f]", ratio, min(ratios), max(ratios));
                    target = ratio >= 1.2 ? "met" : "MISSED";
                }
                sb.append(String.format(Locale.ROOT,
                        "%-14s %-14s %10.0f [%6.0f-%6.0f] %7.1f us %9.1f us %7.0f%%  %-22s %s%n",
                        s == 0 ? cell : "", names.get(s), median(j), min(j), max(j), median(p99[c][s]) / 1000,
                        median(cpu[c][s]), median(fioCpu[c][s]), vs, target));
            }
        }
        return sb.toString();
    }

    /** Linux USER_HZ: /proc/PID/stat counts CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** User + system CPU time of a process so far, in clock ticks (-1 if unknown). */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }

    private Process startNbdkit(Path dir) throws IOException, InterruptedException {
        Path pid = dir.resolve("nbdkit.pid");
        Process p = new ProcessBuilder(nbdkit, "--exit-with-parent", "-f", "-U", dir.resolve("nbdkit.sock").toString(),
                "-P", pid.toString(), "memory", sizeMiB + "M")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("nbdkit.err").toFile()).start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(pid)) {
            if (!p.isAlive() || System.nanoTime() > end) {
                p.destroyForcibly();
                throw new IOException("nbdkit did not start: " + Files.readString(dir.resolve("nbdkit.err")));
            }
            Thread.sleep(20);
        }
        return p;
    }

    private String nbdkitVersion() {
        return firstLine(nbdkit, "--version").replace("nbdkit ", "");
    }

    private String fioVersion() {
        return firstLine(fio, "--version");
    }

    private static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out.lines().findFirst().orElse("?");
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Fails with the Debian package to install when {@code tool} cannot be run. */
    private static void requireTool(String tool, String debianPackage) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException | InterruptedException e) {
            // fall through
        }
        throw new IllegalStateException(tool + " cannot be run: install the Debian package " + debianPackage);
    }

    public static void main(String[] args) {
        System.exit(NbdMain.commandLine(new NbdBenchMain(), "jblk nbd-bench").execute(args));
    }
}
