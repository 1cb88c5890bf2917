package jblk.bench;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * fio's normal (human) report: a block per job with IOPS, latency percentiles, bw/iops samples, then the group
 * summary.
 */
final class FioText {
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    private FioText() {
    }

    /** fio's time stamp (ctime(3) without the newline), local time: "Sat Dec 5 13:04:27 2026". */
    static String ctime(long epochMillis) {
        return CTIME.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()));
    }

    static String write(List<FioReport.Unit> units, String header, String deviceLine, String version) {
        StringBuilder sb = new StringBuilder();
        sb.append(header).append('\n');
        sb.append("jblk-").append(version).append('\n');
        sb.append(deviceLine).append('\n');
        String date = ctime(System.currentTimeMillis());
        long pid = ProcessHandle.current().pid();
        for (FioReport.Unit u : units) {
            sb.append('\n');
            sb.append(u.name).append(": (groupid=0, jobs=").append(u.jobs).append("): err=")
                    .append(String.format("%2d", u.error)).append(": pid=").append(pid).append(": ").append(date)
                    .append('\n');
            if (u.error != 0) {
                sb.append("  error: ").append(FioReport.errnoName(u.error)).append(": ").append(u.errorDetail)
                        .append('\n');
            }
            for (int d = 0; d < 2; d++) {
                if (u.ios[d] == 0) {
                    continue;
                }
                appendDirection(sb, u, d);
            }
            if (u.cpuWallNs > 0) {
                sb.append(String.format(Locale.ROOT, "  cpu          : usr=%.2f%%, sys=%.2f%% (submitter threads)%n",
                        100.0 * u.userNs / u.cpuWallNs, 100.0 * (u.cpuNs - u.userNs) / u.cpuWallNs));
            }
            sb.append(String.format(Locale.ROOT, "  jblk         : hctx=%s", u.hctxs));
            if (u.verified > 0) {
                sb.append(", verified=").append(u.verified).append(" blocks");
            }
            sb.append('\n');
            sb.append(String.format(Locale.ROOT, "     issued rwts: total=%d,%d,0,0 short=0,0,0,0 dropped=0,0,0,0%n",
                    u.ios[0], u.ios[1]));
        }
        sb.append("\nRun status group 0 (all jobs):\n");
        for (int d = 0; d < 2; d++) {
            long ios = 0;
            long bytes = 0;
            long runMax = 0;
            long runMin = Long.MAX_VALUE;
            double bwMin = Double.MAX_VALUE;
            double bwMax = 0;
            for (FioReport.Unit u : units) {
                if (u.ios[d] == 0) {
                    continue;
                }
                ios += u.ios[d];
                bytes += u.bytes[d];
                runMax = Math.max(runMax, u.runtimeNs);
                runMin = Math.min(runMin, u.runtimeNs);
                bwMin = Math.min(bwMin, u.bwBytes(d));
                bwMax = Math.max(bwMax, u.bwBytes(d));
            }
            if (ios == 0) {
                continue;
            }
            double bw = bytes * 1e9 / runMax;
            sb.append(String.format(Locale.ROOT, "  %5s: bw=%s, %s-%s (%s-%s), io=%s (%s), run=%d-%dmsec%n",
                    FioReport.DIR_NAMES[d].toUpperCase(Locale.ROOT), Units.bandwidth(bw), Units.binary(bwMin) + "/s",
                    Units.binary(bwMax) + "/s", Units.decimal(bwMin) + "/s", Units.decimal(bwMax) + "/s",
                    Units.binary((double) bytes), Units.decimal((double) bytes),
                    Math.round(runMin / 1e6), Math.round(runMax / 1e6)));
        }
        return sb.toString();
    }

    private static void appendDirection(StringBuilder sb, FioReport.Unit u, int d) {
        sb.append(String.format(Locale.ROOT, "  %s: IOPS=%s, BW=%s(%s/%dmsec)%n", FioReport.DIR_NAMES[d],
                Units.shortCount(u.iops(d)), Units.bandwidth(u.bwBytes(d)), Units.binary((double) u.bytes[d]),
                Math.round(u.runtimeNs / 1e6)));
        Histogram h = u.lat[d];
        if (h.getTotalCount() > 0) {
            double mean = h.getMean();
            long div = mean >= 10_000_000 ? 1_000_000 : mean >= 10_000 ? 1000 : 1;
            String unit = div == 1 ? "nsec" : div == 1000 ? "usec" : "msec";
            String stats = String.format(Locale.ROOT, "min=%d, max=%d, avg=%.2f, stdev=%.2f", h.getMinValue() / div,
                    h.getMaxValue() / div, mean / div, h.getStdDeviation() / div);
            sb.append(String.format(Locale.ROOT, "    clat (%s): %s%n", unit, stats));
            sb.append(String.format(Locale.ROOT, "     lat (%s): %s%n", unit, stats));
            sb.append(String.format(Locale.ROOT, "    clat percentiles (%s):%n", unit));
            for (int i = 0; i < FioReport.PERCENTILES.length; i++) {
                if (i % 4 == 0) {
                    sb.append("     |");
                }
                sb.append(String.format(Locale.ROOT, "%6.2fth=[%5d]", FioReport.PERCENTILES[i],
                        h.getValueAtPercentile(FioReport.PERCENTILES[i]) / div));
                if (i % 4 == 3 || i == FioReport.PERCENTILES.length - 1) {
                    sb.append(i == FioReport.PERCENTILES.length - 1 ? "\n" : ",\n");
                } else {
                    sb.append(", ");
                }
            }
        }
        List<Double> bw = u.bwSamples.get(d);
        List<Double> io = u.iopsSamples.get(d);
        if (!bw.isEmpty()) {
            sb.append(String.format(Locale.ROOT,
                    "   bw (  KiB/s): min=%d, max=%d, avg=%.2f, stdev=%.2f, samples=%d%n",
                    (long) FioReport.min(bw), (long) FioReport.max(bw), FioReport.mean(bw), FioReport.stddev(bw),
                    bw.size()));
            sb.append(String.format(Locale.ROOT,
                    "   iops        : min=%d, max=%d, avg=%.2f, stdev=%.2f, samples=%d%n",
                    (long) FioReport.min(io), (long) FioReport.max(io), FioReport.mean(io), FioReport.stddev(io),
                    io.size()));
        }
    }
}
