package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jblk.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ./jblk bench} run in-process on tiny workloads: fio's JSON fields, consistency, verify, errors. */
class BenchMainTest {
    record Outcome(int status, String out, String err) {
    }

    static Outcome bench(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int st = BenchMain.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Outcome(st, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static Map<String, Object> json(Outcome r) {
        assertTrue(r.out().startsWith("{"), () -> "not JSON: " + r.out() + r.err());
        return Json.obj(Json.parse(r.out()));
    }

    static final Set<String> DIRECTION_FIELDS = Set.of("io_bytes", "io_kbytes", "bw_bytes", "bw", "iops", "runtime",
            "total_ios", "short_ios", "drop_ios", "slat_ns", "clat_ns", "lat_ns",
            "bw_min", "bw_max", "bw_agg", "bw_mean",
            "bw_dev", "bw_samples", "iops_min", "iops_max", "iops_mean", "iops_stddev", "iops_samples");
    static final List<String> PERCENTILE_KEYS = List.of("1.000000", "5.000000", "10.000000", "20.000000", "30.000000",
            "40.000000", "50.000000", "60.000000", "70.000000", "80.000000", "90.000000", "95.000000", "99.000000",
            "99.500000", "99.900000", "99.950000", "99.990000");

    /** The fio fields of one direction, and their internal consistency. */
    static void checkDirection(Map<String, Object> d, long bs, boolean everyIoTimed) {
        assertTrue(d.keySet().containsAll(DIRECTION_FIELDS), () -> "missing fio fields in " + d.keySet());
        long ios = (long) Json.num(d.get("total_ios"));
        long bytes = (long) Json.num(d.get("io_bytes"));
        assertEquals(ios * bs, bytes, "io_bytes == total_ios * bs");
        assertEquals(bytes / 1024, (long) Json.num(d.get("io_kbytes")));
        assertEquals((long) Json.num(d.get("bw_bytes")) / 1024, (long) Json.num(d.get("bw")),
                "bw is KiB/s of bw_bytes");
        Map<String, Object> clat = Json.obj(d.get("clat_ns"));
        Map<String, Object> lat = Json.obj(d.get("lat_ns"));
        if (everyIoTimed) {
            assertEquals(ios, (long) Json.num(clat.get("N")), "every counted I/O has a latency");
        }
        assertEquals(0, Json.num(Json.obj(d.get("slat_ns")).get("N")));
        if (ios > 0) {
            assertTrue(Json.num(d.get("runtime")) > 0);
            assertTrue(Json.num(d.get("iops")) > 0);
            double min = Json.num(clat.get("min"));
            double max = Json.num(clat.get("max"));
            double mean = Json.num(clat.get("mean"));
            assertTrue(min > 0 && min <= mean && mean <= max, "min <= mean <= max: " + clat);
            Map<String, Object> pct = Json.obj(clat.get("percentile"));
            assertEquals(PERCENTILE_KEYS, List.copyOf(pct.keySet()));
            double prev = 0;
            for (String k : PERCENTILE_KEYS) {
                double v = Json.num(pct.get(k));
                assertTrue(v >= prev && v >= min && v <= max * 1.001 + 1,
                        "percentiles ordered within min..max: " + pct);
                prev = v;
            }
            assertEquals(clat.get("N"), lat.get("N"));
            double imin = Json.num(d.get("iops_min"));
            double imax = Json.num(d.get("iops_max"));
            double imean = Json.num(d.get("iops_mean"));
            if (Json.num(d.get("iops_samples")) > 0) {
                assertTrue(imin <= imean + 1 && imean <= imax + 1, "iops samples min <= mean <= max");
            }
        } else {
            assertEquals(0, bytes);
            assertEquals(0, Json.num(clat.get("N")));
        }
    }

    @Test
    void jsonHasFioSchemaAndConsistentNumbers() {
        Outcome r = bench("--name=mix", "--rw=randrw", "--rwmixread=70", "--bs=4k", "--iodepth=8", "--numjobs=2",
                "--runtime=700ms", "--time_based", "--nullb", "irqmode=1 submit_queues=4 poll_queues=0",
                "--driver=safe", "--ownership=checked", "--output-format=json");
        assertEquals(0, r.status(), r.err());
        Map<String, Object> top = json(r);
        assertTrue(((String) top.get("jblk version")).startsWith("jblk-"));
        assertTrue(top.containsKey("timestamp") && top.containsKey("time"));
        Map<String, Object> global = Json.obj(top.get("global options"));
        assertEquals("randrw", global.get("rw"));
        assertEquals("70", global.get("rwmixread"));
        List<Object> jobs = Json.arr(top.get("jobs"));
        assertEquals(2, jobs.size());
        long reads = 0;
        long writes = 0;
        for (Object o : jobs) {
            Map<String, Object> job = Json.obj(o);
            assertEquals("mix", job.get("jobname"));
            assertEquals(0.0, job.get("error"));
            for (String dir : List.of("read", "write", "trim")) {
                checkDirection(Json.obj(job.get(dir)), 4096, true);
            }
            assertEquals(0.0, Json.obj(job.get("trim")).get("total_ios"));
            reads += (long) Json.num(Json.obj(job.get("read")).get("total_ios"));
            writes += (long) Json.num(Json.obj(job.get("write")).get("total_ios"));
            assertTrue(Json.num(Json.obj(job.get("read")).get("iops_samples")) >= 1, "one 500 ms sample in 700 ms");
            assertTrue(job.containsKey("latency_us") && job.containsKey("job_runtime"));
            double usr = Json.num(job.get("usr_cpu"));
            double sys = Json.num(job.get("sys_cpu"));
            assertTrue(usr >= 0 && sys >= 0 && usr + sys <= 110,
                    "one submitter thread's CPU share: " + usr + "+" + sys);
            assertEquals(8.0, job.get("latency_depth"));
        }
        assertTrue(reads > 0 && writes > 0, "a 70/30 mix did both");
        assertTrue(reads > writes, "70% reads: more reads than writes (" + reads + " vs " + writes + ")");
        // 2 jobs on 4 submit queues of the tests' 4 modelled CPUs: each job's software queue (CPU 0, 1)
        // maps to its own hardware queue (with 2 queues, CPUs 0-1 would share the first, as in the kernel)
        String h0 = (String) Json.obj(Json.obj(jobs.get(0)).get("jblk")).get("hctx");
        String h1 = (String) Json.obj(Json.obj(jobs.get(1)).get("jblk")).get("hctx");
        assertNotEquals(h0, h1);
    }

    @Test
    void sizeBasedRunDoesExactlyTheRegionOnce(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("results/r.json");   // the missing directory is created
        Outcome r = bench("--rw=write", "--bs=4k", "--iodepth=16", "--size=1m", "--offset=64k",
                "--nullb", "irqmode=2 completion_nsec=1000 poll_queues=0 gb=1", "--driver=raw",
                "--output-format=json", "--output=" + out);
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.out(), "--output takes the report");
        Map<String, Object> job = Json.obj(Json.arr(Json.obj(Json.parse(Files.readString(out))).get("jobs")).get(0));
        Map<String, Object> w = Json.obj(job.get("write"));
        assertEquals(256.0, w.get("total_ios"), "1 MiB in 4 KiB blocks, each once");
        assertEquals((double) (1 << 20), w.get("io_bytes"));
        checkDirection(w, 4096, true);
        assertEquals(0.0, Json.obj(job.get("read")).get("total_ios"));
    }

    @Test
    void groupReportingSumsJobs() {
        Outcome r = bench("--rw=read", "--bs=8k", "--size=512k", "--numjobs=3", "--group_reporting",
                "--nullb", "irqmode=0 submit_queues=3 poll_queues=0 gb=1", "--output-format=json", "--clat_sample=4");
        assertEquals(0, r.status(), r.err());
        List<Object> jobs = Json.arr(json(r).get("jobs"));
        assertEquals(1, jobs.size());
        Map<String, Object> rd = Json.obj(Json.obj(jobs.get(0)).get("read"));
        assertEquals(3 * 64.0, rd.get("total_ios"), "3 jobs x 512 KiB / 8 KiB");
        checkDirection(rd, 8192, false);
        assertEquals(3 * 64 / 4.0, Json.num(Json.obj(rd.get("clat_ns")).get("N")), 0.0,
                "1 in 4 I/Os timed, counted per job (each job's first I/O is timed)");
    }

    @Test
    void normalOutputLooksLikeFio() {
        Outcome r = bench("--name=seq", "--rw=randread", "--bs=4k", "--iodepth=4", "--size=2m",
                "--nullb", "irqmode=1 poll_queues=0 gb=1", "--driver=safe", "--ownership=off");
        assertEquals(0, r.status(), r.err());
        String o = r.out();
        assertTrue(o.startsWith("seq: (g=0): rw=randread, bs=(R) 4096B-4096B"), o);
        assertTrue(o.contains("seq: (groupid=0, jobs=1): err= 0"), o);
        assertTrue(o.contains("  read: IOPS="), o);
        assertTrue(o.contains("clat percentiles"), o);
        assertTrue(o.contains("99.99th=["), o);
        assertTrue(o.contains("issued rwts: total=512,0,0,0"), o);
        assertTrue(o.contains("Run status group 0 (all jobs):"), o);
        assertTrue(o.contains("READ: bw="), o);
    }

    @ParameterizedTest
    @CsvSource({"crc32c,write,raw,off", "md5,randwrite,safe,checked", "crc32c,randrw,safe,debug"})
    void verifyPassesOnAMemoryBackedDevice(String verify, String rw, String driver, String own) {
        Outcome r = bench("--rw=" + rw, "--bs=4k", "--iodepth=8", "--size=512k", "--verify=" + verify,
                "--nullb", "memory_backed=1 gb=1 irqmode=1 poll_queues=0", "--driver=" + driver, "--ownership=" + own,
                "--output-format=json");
        assertEquals(0, r.status(), r.err());
        Map<String, Object> job = Json.obj(Json.arr(json(r).get("jobs")).get(0));
        assertEquals(0.0, job.get("error"));
        double verified = Json.num(Json.obj(job.get("jblk")).get("verified_blocks"));
        if (rw.equals("write")) {
            assertEquals(128.0, verified, "every block of the region written once and read back");
        } else {
            assertTrue(verified > 0 && verified <= 128, "the distinct blocks written: " + verified);
        }
    }

    @Test
    void verifyFailsWithEilseqWhenTheDeviceStoresNothing() {
        Outcome r = bench("--rw=write", "--bs=4k", "--iodepth=4", "--size=256k", "--verify=crc32c",
                "--nullb", "memory_backed=0 gb=1 irqmode=0 poll_queues=0", "--output-format=json");
        assertEquals(1, r.status(), "a failed job makes the run fail, as fio does");
        Map<String, Object> job = Json.obj(Json.arr(json(r).get("jobs")).get(0));
        assertEquals(84.0, job.get("error"), "EILSEQ, as fio reports a verify failure");
        assertTrue(((String) Json.obj(job.get("jblk")).get("error_detail")).contains("bad magic header"));
        assertTrue(r.err().contains("EILSEQ"), r.err());
    }

    @Test
    void verifyOfAReadWorkloadChecksWhatIsRead() {
        Outcome r = bench("--rw=read", "--bs=4k", "--size=64k", "--verify=md5",
                "--nullb", "memory_backed=1 gb=1 irqmode=0 poll_queues=0");
        assertEquals(1, r.status(), "nothing was written there: the first block's header is missing");
        assertTrue(r.out().contains("err=84"), r.out());
    }

    @Test
    void listParams() {
        Outcome r = bench("--list-params");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("irqmode") && r.out().contains("memory_backed") && r.out().contains("0..2"),
                r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--rw=sideways|--rw=sideways is invalid: allowed read, write, randread",
        "--nullb=irqmode=7|--nullb: irqmode=7 is out of range: allowed 0..2",
        "--nullb=colour=blue|unknown null_blk parameter 'colour'",
        "--driver=fast|driver 'fast' is invalid: allowed raw, safe",
        "--ownership=maybe|ownership mode 'maybe' is invalid",
        "--bs=1000|--bs=1000 is not a multiple of the device's logical block size 512",
        "--bs=4q|--bs=4q is invalid: expected a size",
        "--time_based|--time_based needs --runtime",
        "--runtime=soon|--runtime=soon is invalid: expected a time",
        "--verify=sha9|--verify=sha9 is invalid: allowed crc32c, md5",
        "--output-format=xml|--output-format=xml is invalid: allowed normal, json",
        "--iodepth=0|--iodepth=0 is out of range: allowed 1..65536",
        "--output=/|--output=/ is a directory: expected a file name",
        "--rwmixread=101|--rwmixread=101 is out of range: allowed 0..100",
        "--frobnicate|Unknown option: '--frobnicate'",
        "--iodepth=many|Invalid value for option '--iodepth'",
        "--iodepth=65537|--iodepth=65537 is out of range: allowed 1..65536",
        "--runtime=1e12|--runtime=1e12 is out of range: allowed up to 8640000 s (100 days)",
        "--ramp_time=1e12|--ramp_time=1e12 is out of range: allowed up to 8640000 s",
        "--output=/sys/jblk-bench-report.json|--output=/sys/jblk-bench-report.json cannot be written"})
    void badOptionsExitNonZeroWithOneClearMessage(String arg, String message) {
        Outcome r = arg.startsWith("--nullb") ? bench(arg) : bench(arg, "--size=64k", "--nullb=gb=1 poll_queues=0");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(message), () -> "expected '" + message + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), () -> "one line: " + r.err());
        assertEquals("", r.out());
    }

    @Test
    void rawDriverHasNoOwnershipModes() {
        Outcome r = bench("--driver=raw", "--ownership=checked", "--size=64k");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--ownership=checked applies to --driver=safe only"), r.err());
    }

    @Test
    void sizePastTheDeviceIsRefused() {
        Outcome r = bench("--size=2g", "--nullb=gb=1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("runs past the device capacity 1073741824"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    /**
     * Issue 17 items 10 and 11: I/O buffers that cannot exist are refused before any work, in one
     * line with the figure and the limit (before: "capacity < 0" from an int overflow, or an
     * OutOfMemoryError trace after zeroing buffers up to the JVM's limit).
     */
    @Test
    void ioBuffersBeyondTheLimitAreRefusedWithTheFigure() {
        Outcome perJob = bench("--iodepth=2047", "--bs=1049088", "--size=64m", "--nullb=gb=1 poll_queues=0");
        assertEquals(2, perJob.status(), perJob.err());
        assertTrue(perJob.err().contains("--iodepth=2047 x --bs=1049088 = 2147483136 bytes of buffers per job"
                + " is too large: "
                + "allowed at most 2147479551 bytes"), perJob.err());
        assertEquals(1, perJob.err().strip().lines().count(), perJob.err());

        Outcome total = bench("--numjobs=200", "--iodepth=1024", "--bs=1m", "--size=64m", "--nullb=gb=1 poll_queues=0");
        assertEquals(2, total.status(), total.err());
        assertTrue(total.err().contains("--numjobs=200 x --iodepth=1024 x --bs=1048576 = 204800 MiB"
                + " of I/O buffers is too "
                + "large: allowed at most"), total.err());
        assertTrue(total.err().contains("-XX:MaxDirectMemorySize="), total.err());
        assertEquals(1, total.err().strip().lines().count(), total.err());
        assertEquals("", total.out());
    }

    /** Item 11: an unwritable --output fails before the run, not after it (when the report would be lost). */
    @Test
    void anUnwritableOutputFailsBeforeTheRun() {
        Outcome r = bench("--rw=read", "--size=64k", "--output=/sys/jblk-bench.json", "--nullb=gb=1 poll_queues=0");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith("jblk bench: --output=/sys/jblk-bench.json cannot be written"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
