package jblk.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jblk.blockcore.ElevatorType;
import jblk.blockcore.GenDisk;
import jblk.blockcore.SwQueue;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.nullblk.NullbParams;
import jblk.safety.Ownership;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jblk bench}: fio's command line, for the part that applies to a jblk null_blk device.
 * The device is given as null_blk parameters ({@code --nullb "irqmode=1 submit_queues=2"}); the
 * report is fio's normal text or fio's JSON schema.
 */
@Command(name = "jblk bench", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = {"fio-style workloads on a jblk null_blk device.",
            "Options take fio's names and meanings (--rw=randread --bs=4k --iodepth=32 ...)."})
public final class BenchMain implements Callable<Integer> {
    @Option(names = "--name", description = "job name (default: ${DEFAULT-VALUE})")
    String name = "jblk";

    @Option(names = "--rw",
            description = "read, write, randread, randwrite, randrw, readwrite (default: ${DEFAULT-VALUE})")
    String rw = "read";

    @Option(names = "--rwmixread", description = "percent reads of a mixed workload (default: 50)")
    Integer rwmixread;

    @Option(names = "--rwmixwrite", description = "percent writes of a mixed workload (100 - rwmixread)")
    Integer rwmixwrite;

    @Option(names = "--bs", description = "block size, e.g. 4k (default: ${DEFAULT-VALUE})")
    String bs = "4k";

    @Option(names = "--iodepth", description = "I/Os kept in flight per job (default: ${DEFAULT-VALUE})")
    int iodepth = 1;

    @Option(names = "--numjobs",
            description = "jobs (threads), each with its own software queue (default: ${DEFAULT-VALUE})")
    int numjobs = 1;

    @Option(names = "--runtime", description = "stop after this long (seconds, or 500ms, 2m ...)")
    String runtime;

    @Option(names = "--time_based", arity = "0..1", fallbackValue = "1",
            description = "run for --runtime even after --size is done (wrapping around)")
    String timeBased = "0";

    @Option(names = "--size",
            description = "bytes each job transfers and the region it covers (default: the device from --offset)")
    String size;

    @Option(names = "--offset", description = "start of the region (default: 0)")
    String offset = "0";

    @Option(names = "--ramp_time", description = "run this long before counting (default: 0)")
    String rampTime = "0";

    @Option(names = "--direct", arity = "0..1", fallbackValue = "1",
            description = "accepted for fio compatibility; jblk I/O is always direct")
    String direct = "1";

    @Option(names = "--verify",
            description = "crc32c or md5: written blocks carry a header and checksum (default: none)")
    String verify = "none";

    @Option(names = "--do_verify", arity = "0..1", fallbackValue = "1",
            description = "with --verify: read back and check what was written after writing (default: 1)")
    String doVerify = "1";

    @Option(names = "--randseed", description = "seed of the offset generator (default: ${DEFAULT-VALUE})")
    long randseed = 0x89L;

    @Option(names = "--group_reporting", arity = "0..1", fallbackValue = "1", description = "report all jobs as one")
    String groupReporting = "0";

    @Option(names = "--output-format", description = "normal or json (default: ${DEFAULT-VALUE})")
    String outputFormat = "normal";

    @Option(names = "--output", description = "write the report to this file instead of stdout")
    Path output;

    @Option(names = "--nullb", description = {"null_blk parameters, as modprobe takes them (see --list-params);",
        "--nullbN \"attr=value ...\" gives device nullbN attributes of its own on top"})
    String nullb = "";

    @Option(names = "--filename", description = {"the device(s) the jobs use: /dev/nullbN, ':'-separated",
        "(job j on the (j mod count)th; default /dev/nullb0)"})
    String filename;

    @Option(names = "--driver", description = "raw (C-style) or safe (Rust-style) null_blk (default: ${DEFAULT-VALUE})")
    String driver = "safe";

    @Option(names = "--ownership", description = "off, refcount, generation (checked), hpref, owned or debug (safe"
            + " driver; default: generation)")
    String ownership;

    @Option(names = "--clat_sample", description = "jblk: time 1 in N I/Os, N a power of two (default: 1, every I/O)")
    int clatSample = 1;

    @Option(names = "--zonemode", description = "none, or zbd: writes at zone write pointers, as fio on a zoned"
            + " /dev/nullb0 (needs zoned=1 in --nullb; default: ${DEFAULT-VALUE})")
    String zonemode = "none";

    @Option(names = "--max_open_zones",
            description = "zbd: zones written at once (default: the device's zone_max_open)")
    Integer maxOpenZones;

    @Option(names = "--zone_reset_threshold",
            description = "zbd: reset zones once this fraction of the region holds data (0..1)")
    Double zoneResetThreshold;

    @Option(names = "--zone_reset_frequency",
            description = "zbd: past the threshold, reset a zone every 1/f writes (0..1; default 0: never)")
    Double zoneResetFrequency;

    @Option(names = "--ioscheduler", description = {"the devices' I/O scheduler, fio's option: none or mq-deadline",
        "(default: the kernel's: mq-deadline with submit_queues=1 unless no_sched=1, else none)"})
    String ioscheduler;

    @Option(names = "--list-params", description = "list null_blk's parameters and exit")
    boolean listParams;

    /** The --nullbN options, taken out before picocli parses the rest. */
    private Map<Integer, String> perDevice = Map.of();
    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit status (0 ok, 1 a job failed, 2 bad usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        BenchMain m = new BenchMain();
        m.out = out;
        m.err = err;
        DeviceArgs d;
        try {
            d = DeviceArgs.extract(args);
        } catch (IllegalArgumentException e) {
            err.println("jblk bench: " + e.getMessage());
            return Cli.USAGE;
        }
        m.perDevice = d.perDevice;
        return Cli.execute(m, "jblk bench", d.rest, out, err);
    }

    /** The parsed and checked command line: what to build and what to run, before anything runs. */
    private record Plan(BenchDevices devices, DriverKind drv, Ownership own, RwMode mode, int mix, long bsBytes,
            boolean timed, boolean group, VerifyMode vm, boolean doVer, long runtimeNs, long rampNs, boolean json,
            long offBytes, long sizeBytes, ZbdOptions zbd, List<JobSpec> specs) {
    }

    /** What the run gave: the jobs' results and what the report says about the devices. */
    private record Outcome(WorkloadRunner.RunResult result, String deviceLine, List<String> diskUtil,
            ZbdOptions.Check zoneCheck) {
    }

    /** The job's region on the device, in bytes. */
    private record Region(long offset, long size) {
    }

    @Override
    public Integer call() throws Exception {
        if (listParams) {
            out.println("null_blk parameters (--nullb \"name=value ...\"):");
            out.print(NullbParams.describe());
            return 0;
        }
        if (output != null) {
            ReportFile.prepare("--output", output);
        }
        Plan p = plan();
        Outcome o = runJobs(p);
        List<FioReport.Unit> units = FioReport.units(o.result(), p.group());
        emit(p.json() ? json(p, o, units) : text(p, o, units), o.zoneCheck(), p.json());
        return exitStatus(o.zoneCheck(), units);
    }

    /** Parses and checks every option against each other and the device, then splits the jobs' regions. */
    private Plan plan() {
        BenchDevices devices = BenchDevices.plan(nullb, perDevice, filename);
        if (ioscheduler != null) {
            try {
                ElevatorType.byName(ioscheduler);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--ioscheduler=" + ioscheduler + ": " + e.getMessage(), e);
            }
        }
        NullbParams params = devices.first();
        DriverKind drv = DriverKind.parse(driver);
        Ownership own = ownership(drv);
        RwMode mode = RwMode.parse(rw);
        int mix = rwmix();
        long bsBytes = Units.parseSize("bs", bs);
        if (bsBytes <= 0 || bsBytes > (1 << 30)) {
            throw new IllegalArgumentException("--bs=" + bs + " is out of range: allowed 512 bytes .. 1g");
        }
        if (numjobs < 1 || numjobs > 256) {
            throw new IllegalArgumentException("--numjobs=" + numjobs + " is out of range: allowed 1..256");
        }
        if (clatSample < 1 || Integer.bitCount(clatSample) != 1) {
            throw new IllegalArgumentException("--clat_sample=" + clatSample
                    + " is invalid: allowed a power of two >= 1");
        }
        boolean timed = Cli.bool("time_based", timeBased);
        Cli.bool("direct", direct);
        boolean group = Cli.bool("group_reporting", groupReporting);
        VerifyMode vm = VerifyMode.parse(verify);
        boolean doVer = Cli.bool("do_verify", doVerify);
        long runtimeNs = runtime == null ? 0 : BenchLimits.time("runtime", runtime, Units.parseTimeNs("runtime",
                runtime));
        long rampNs = BenchLimits.time("ramp_time", rampTime, Units.parseTimeNs("ramp_time", rampTime));
        if (timed && runtimeNs == 0) {
            throw new IllegalArgumentException("--time_based needs --runtime (how long to run)");
        }
        boolean json = outputFormatIsJson();
        Region r = region(params, bsBytes);
        ZbdOptions zbd = ZbdOptions.parse(zonemode, maxOpenZones, zoneResetThreshold, zoneResetFrequency, params);
        if (zbd != null) {
            long[] aligned = zbd.align(r.offset(), r.size());
            r = new Region(aligned[0], aligned[1]);
        }
        int maxSectors = params.maxSectors();
        if (maxSectors > 0 && bsBytes > (long) maxSectors << 9) {
            throw new IllegalArgumentException("--bs=" + bsBytes + " exceeds the device's max_sectors=" + maxSectors
                    + " (" + ((long) maxSectors << 9) + " bytes)");
        }
        BenchLimits.iodepth(iodepth);
        BenchLimits.buffers(numjobs, iodepth, bsBytes, params);
        devices.checkOthers(bsBytes, r.offset(), r.size());
        JobSpec base = new JobSpec(name, mode, mix, (int) bsBytes, iodepth, r.offset(), r.size(), timed ? 0 : r.size(),
                Integer.numberOfTrailingZeros(clatSample), vm, doVer, randseed);
        return new Plan(devices, drv, own, mode, mix, bsBytes, timed, group, vm, doVer, runtimeNs, rampNs, json,
                r.offset(), r.size(), zbd, jobSpecs(base, zbd));
    }

    /** --ownership, or the driver's default (off for raw, checked for safe); raw allows only off. */
    private Ownership ownership(DriverKind drv) {
        if (ownership == null) {
            return drv == DriverKind.RAW ? Ownership.OFF : Ownership.CHECKED;
        }
        Ownership own = Ownership.parse(ownership);
        if (drv == DriverKind.RAW && own != Ownership.OFF) {
            throw new IllegalArgumentException("--ownership=" + ownership.trim()
                    + " applies to --driver=safe only: the raw driver has no ownership tokens (allowed: off)");
        }
        return own;
    }

    /** Percent reads of a mixed workload, from --rwmixread or --rwmixwrite (which must add up to 100). */
    private int rwmix() {
        int mix = rwmixread != null ? rwmixread : rwmixwrite != null ? 100 - rwmixwrite : 50;
        if (rwmixread != null && rwmixwrite != null && rwmixread + rwmixwrite != 100) {
            throw new IllegalArgumentException("--rwmixread=" + rwmixread + " and --rwmixwrite=" + rwmixwrite
                    + " must add up to 100");
        }
        return mix;
    }

    private boolean outputFormatIsJson() {
        String fmt = outputFormat.trim().toLowerCase(Locale.ROOT);
        if (!fmt.equals("normal") && !fmt.equals("json")) {
            throw new IllegalArgumentException("--output-format=" + outputFormat + " is invalid: allowed normal, json");
        }
        return fmt.equals("json");
    }

    /** --offset and --size checked against the device's limits, known before the device exists (it may be big). */
    private Region region(NullbParams params, long bsBytes) {
        long offBytes = Units.parseSize("offset", offset);
        int lbs = params.blockSize();
        long capacity = params.capacitySectors() << 9;
        if (bsBytes % lbs != 0) {
            throw new IllegalArgumentException("--bs=" + bsBytes
                    + " is not a multiple of the device's logical block size "
                    + lbs + " (null_blk bs=" + lbs + ")");
        }
        if (offBytes % lbs != 0 || offBytes >= capacity) {
            throw new IllegalArgumentException("--offset=" + offBytes + " is invalid: allowed a multiple of " + lbs
                    + " below the device capacity " + capacity);
        }
        long sizeBytes = size == null ? capacity - offBytes : Units.parseSize("size", size);
        if (sizeBytes > capacity - offBytes) {
            throw new IllegalArgumentException("--size=" + sizeBytes + " from --offset=" + offBytes
                    + " runs past the device capacity " + capacity + " bytes (null_blk gb/size)");
        }
        if (sizeBytes < bsBytes) {
            throw new IllegalArgumentException("--size=" + sizeBytes + " is smaller than --bs=" + bsBytes);
        }
        return new Region(offBytes, sizeBytes);
    }

    /** One spec per job: the whole region each, or a slice each when jobs verify or follow write pointers. */
    private List<JobSpec> jobSpecs(JobSpec base, ZbdOptions zbd) {
        boolean verifying = base.verify() != VerifyMode.NONE;
        List<JobSpec> specs = new ArrayList<>();
        for (int j = 0; j < numjobs; j++) {
            if ((verifying || zbd != null) && numjobs > 1) {
                // jobs verifying one region would overwrite each other's blocks, zbd jobs each
                // other's write pointers: each gets a slice (of whole zones in zbd mode)
                long unit = zbd != null ? zbd.zoneBytes : base.bs();
                long slice = base.size() / numjobs / unit * unit;
                if (slice < unit) {
                    throw new IllegalArgumentException("--size=" + base.size() + " is too small to give " + numjobs
                            + " verifying jobs a block each");
                }
                specs.add(base.withRegion(name, base.offset() + j * slice, slice, randseed + j));
            } else {
                specs.add(base.withRegion(name, base.offset(), base.size(), randseed + j));
            }
        }
        if (verifying && numjobs > 1 && base.ioLimitBytes() > 0) {
            // not time based: each job writes its own slice once
            for (int j = 0; j < specs.size(); j++) {
                JobSpec s = specs.get(j);
                specs.set(j, new JobSpec(s.name(), s.rw(), s.rwmixread(), s.bs(), s.iodepth(), s.offset(), s.size(),
                        s.size(), s.latencySampleShift(), s.verify(), s.doVerify(), s.seed()));
            }
        }
        return specs;
    }

    /** Loads the devices, opens a software queue per job, runs the jobs, and checks the zones after a zbd run. */
    private Outcome runJobs(Plan p) throws Exception {
        ZbdOptions zbd = p.zbd();
        List<JobSpec> specs = p.specs();
        try (NullBlkModule m = p.devices().load(p.drv(), p.own())) {
            if (ioscheduler != null) {
                for (GenDisk d : p.devices().usedDisks(m)) {
                    d.setScheduler(ioscheduler); // fio writes queue/scheduler before the job starts
                }
            }
            GenDisk disk = m.device(0).disk(); // zonemode=zbd runs on the first device
            List<SwQueue> queues = new ArrayList<>();
            List<IoJob> jobs = new ArrayList<>();
            List<ZbdJob> zbdJobs = new ArrayList<>();
            List<jblk.blockcore.BlkZone> zones = zbd == null ? null : disk.zones().reportAll();
            try {
                for (int j = 0; j < specs.size(); j++) {
                    ZbdJob zj = zbd == null ? null : zbd.job(disk, zones, specs.get(j), p.timed());
                    if (zj != null) {
                        zbdJobs.add(zj);
                        if (p.mode().writes) {
                            ZbdOptions.resetWritten(disk, zj);
                        }
                    }
                    SwQueue q = zbd == null ? p.devices().disk(m, j).openQueue() : disk.openQueue();
                    queues.add(q);
                    jobs.add(new IoJob(specs.get(j), q, j, zj));
                }
                String deviceLine = p.devices().describe(m, specs.size(), p.drv(), p.own(),
                        clatSample > 1 ? "; latency of 1 in " + clatSample + " I/Os" : "");
                long t0 = System.nanoTime();
                WorkloadRunner.RunResult result = WorkloadRunner.run(jobs, p.rampNs(), p.runtimeNs(),
                        WorkloadRunner.DEFAULT_SAMPLE_NS);
                List<String> diskUtil = DiskUtil.lines(p.devices().usedDisks(m), (System.nanoTime() - t0) / 1_000_000L);
                ZbdOptions.Check zoneCheck = null;
                if (zbd != null) {
                    zoneCheck = ZbdOptions.check(disk, zbdJobs);
                    deviceLine += "; zonemode=zbd, " + disk.zones().nrZones() + " zones of "
                            + Units.binary((double) (disk.zones().zoneSectors() << 9)) + ", max_open_zones "
                            + zbdJobs.get(0).maxOpen() + String.join("", m.device(0).zoneNotes().stream()
                                    .map(n -> "; null_blk: " + n).toList());
                }
                return new Outcome(result, deviceLine, diskUtil, zoneCheck);
            } finally {
                for (SwQueue q : queues) {
                    q.close();
                }
            }
        }
    }

    /** The report in fio's JSON schema. */
    private String json(Plan p, Outcome o, List<FioReport.Unit> units) {
        Map<String, String> jobOpts = new LinkedHashMap<>();
        jobOpts.put("name", name);
        return FioJson.write(units, globalOptions(p), jobOpts, info(o), Version.VERSION);
    }

    /** fio's "global options": what was asked for, as fio echoes its options. */
    private Map<String, String> globalOptions(Plan p) {
        Map<String, String> global = new LinkedHashMap<>();
        global.put("rw", p.mode().fioName());
        global.put("bs", Long.toString(p.bsBytes()));
        global.put("iodepth", Integer.toString(iodepth));
        global.put("numjobs", Integer.toString(numjobs));
        if (runtime != null) {
            global.put("runtime", runtime);
        }
        if (p.timed()) {
            global.put("time_based", "1");
        }
        global.put("size", Long.toString(p.sizeBytes()));
        if (p.offBytes() != 0) {
            global.put("offset", Long.toString(p.offBytes()));
        }
        if (p.mode().mixed()) {
            global.put("rwmixread", Integer.toString(p.mix()));
        }
        if (p.rampNs() > 0) {
            global.put("ramp_time", rampTime);
        }
        if (p.vm() != VerifyMode.NONE) {
            global.put("verify", p.vm().toString());
            global.put("do_verify", p.doVer() ? "1" : "0");
        }
        global.put("ioengine", "jblk");
        global.put("nullb", NullbParams.parse(nullb).toString());
        if (filename != null) {
            global.put("filename", filename);
        }
        perDevice.forEach((dev, attrs) -> global.put("nullb" + dev, attrs));
        global.put("driver", p.drv().toString());
        global.put("ownership", p.own().toString());
        return global;
    }

    /** jblk's own notes in the JSON report: the device, what latency means, zones, allocation per I/O. */
    private Map<String, String> info(Outcome o) {
        WorkloadRunner.RunResult result = o.result();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("device", o.deviceLine());
        info.put("latency", "submitBio to bio callback; clat_ns = lat_ns; slat not measured"
                + (clatSample > 1 ? "; 1 in " + clatSample + " I/Os timed" : ""));
        if (o.zoneCheck() != null) {
            info.put("zone_report", o.zoneCheck().summary());
        }
        info.put("alloc_bytes_per_io_submitters", perIo(result.allocBytesJobs, result.windowIos));
        info.put("alloc_bytes_per_io_all_threads", perIo(result.allocBytesAll, result.windowIos));
        return info;
    }

    private static String perIo(long bytes, long ios) {
        return bytes < 0 || ios == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", (double) bytes / ios);
    }

    /** The report as fio's normal text, with the disk stats section. */
    private String text(Plan p, Outcome o, List<FioReport.Unit> units) {
        long bsBytes = p.bsBytes();
        String header = String.format(Locale.ROOT,
                "%s: (g=0): rw=%s, bs=(R) %dB-%dB, (W) %dB-%dB, (T) %dB-%dB, ioengine=jblk, iodepth=%d%n"
                        + "Starting %d thread%s",
                name, p.mode().fioName(), bsBytes, bsBytes, bsBytes, bsBytes, bsBytes, bsBytes, iodepth, numjobs,
                numjobs == 1 ? "" : "s");
        return FioText.write(units, header, o.deviceLine(), Version.VERSION) + DiskUtil.section(o.diskUtil());
    }

    /** Writes the report to --output or stdout (with the zone report after normal text). */
    private void emit(String report, ZbdOptions.Check zoneCheck, boolean json) {
        if (output != null) {
            ReportFile.write("--output", output, report);
            return;
        }
        out.print(report);
        if (zoneCheck != null && !json) {
            out.print(zoneCheck.text());
        }
        out.flush();
    }

    /** 1 when the zone check found a mismatch or a job failed (each said on stderr), else 0. */
    private int exitStatus(ZbdOptions.Check zoneCheck, List<FioReport.Unit> units) {
        int status = 0;
        if (zoneCheck != null && zoneCheck.mismatches() != 0) {
            err.println("jblk bench: " + zoneCheck.summary());
            status = 1;
        }
        for (FioReport.Unit u : units) {
            if (u.error != 0) {
                err.println("jblk bench: job " + u.name + ": err=" + FioReport.errnoName(u.error) + ": "
                        + u.errorDetail);
                status = 1;
            }
        }
        return status;
    }
}
