package jblk.nbd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jblk.json.Json;

/**
 * One fio run with the nbd engine against an NBD URI, and what the benchmark takes from its JSON
 * ({@code jobs[0].read|write.iops} and {@code .clat_ns.percentile["99.000000"]}).
 */
final class FioRun {
    /** IOPS, completion latency, I/Os done, and fio's own CPU use (usr + sys, percent of one CPU). */
    record Result(double iops, double p99Ns, double ios, double fioCpuPct) {
    }

    private FioRun() {
    }

    /** The fio command line for one cell (printed by the benchmark so a run can be repeated by hand). */
    static List<String> command(String fio, String uri, String rw, String bs, int iodepth, long sizeMiB,
            int runtimeS, int rampS, Path output) {
        List<String> c = new ArrayList<>(List.of(fio, "--name=" + rw + "-qd" + iodepth, "--ioengine=nbd",
                "--uri=" + uri, "--rw=" + rw, "--bs=" + bs, "--iodepth=" + iodepth, "--numjobs=1",
                "--size=" + sizeMiB + "M"));
        if (runtimeS > 0) {
            c.addAll(List.of("--time_based", "--runtime=" + runtimeS, "--ramp_time=" + rampS, "--norandommap",
                    "--randrepeat=0"));
        }
        c.addAll(List.of("--output-format=json", "--output=" + output));
        return c;
    }

    /** Runs fio; throws with its stderr when it fails. */
    static Result run(List<String> cmd, Path output, String rw) throws IOException, InterruptedException {
        Path errFile = output.resolveSibling(output.getFileName() + ".err");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("fio did not finish: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IOException("fio failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n"
                    + Files.readString(errFile, StandardCharsets.UTF_8));
        }
        Object json = Json.parseToolOutput(Files.readString(output, StandardCharsets.UTF_8));
        String dir = rw.contains("read") ? "read" : "write";
        double err = Json.number(json, "jobs", 0, "error");
        if (err != 0) {
            throw new IOException("fio reported error " + (long) err + " for " + String.join(" ", cmd));
        }
        double iops = Json.number(json, "jobs", 0, dir, "iops");
        double p99 = Json.number(json, "jobs", 0, dir, "clat_ns", "percentile", "99.000000");
        double ios = Json.number(json, "jobs", 0, dir, "total_ios");
        double cpu = Json.number(json, "jobs", 0, "usr_cpu") + Json.number(json, "jobs", 0, "sys_cpu");
        return new Result(iops, p99, ios, cpu);
    }
}
