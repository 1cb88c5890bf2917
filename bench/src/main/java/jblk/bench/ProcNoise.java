package jblk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What else the machine did during a round, from Linux's /proc: the 1-minute load average, the
 * share of CPU time the hypervisor stole, and the share other processes used (all CPU time spent
 * busy, from {@code /proc/stat}, minus this run's own processes, from {@code /proc/PID/stat}).
 * Where /proc is missing every figure is NaN and the report says "not recorded".
 */
final class ProcNoise {
    /** A round counts as busy when other processes used this share of the machine, or more. */
    static final double BUSY_OTHERS_PCT = 25;
    /** ... or when the hypervisor stole this share. */
    static final double BUSY_STEAL_PCT = 5;

    private ProcNoise() {
    }

    /** Cumulative counters at one instant, in clock ticks; total < 0 when unknown. */
    record Sample(double load1, long total, long busy, long steal, long own) {
    }

    /** One round's noise: load average at its end, stolen and other processes' shares of all CPUs, in %. */
    record Noise(double load1, double stealPct, double othersPct) {
        boolean busy() {
            return stealPct >= BUSY_STEAL_PCT || othersPct >= BUSY_OTHERS_PCT;
        }

        boolean known() {
            return !Double.isNaN(othersPct);
        }
    }

    /** Reads /proc now; {@code pids} are this run's processes (the coordinator and its workers). */
    static Sample read(List<Long> pids) {
        try {
            long[] cpu = cpuTicks(Files.readString(Path.of("/proc/stat")));
            long own = 0;
            for (long pid : pids) {
                try {
                    own += processTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
                } catch (IOException e) {
                    // a worker that has exited since: its ticks are gone from both samples' view
                }
            }
            return new Sample(load1(Files.readString(Path.of("/proc/loadavg"))), cpu[0], cpu[1], cpu[2], own);
        } catch (IOException | RuntimeException e) {
            return new Sample(Double.NaN, -1, 0, 0, 0);
        }
    }

    static Noise between(Sample a, Sample b) {
        long total = b.total() - a.total();
        if (a.total() < 0 || b.total() < 0 || total <= 0) {
            return new Noise(b.load1(), Double.NaN, Double.NaN);
        }
        long others = Math.max(0, (b.busy() - a.busy()) - (b.own() - a.own()));
        return new Noise(b.load1(), 100.0 * (b.steal() - a.steal()) / total, 100.0 * others / total);
    }

    /** The first figure of /proc/loadavg. */
    static double load1(String loadavg) {
        return Double.parseDouble(loadavg.trim().split("\\s+")[0]);
    }

    /**
     * The aggregate "cpu" line of /proc/stat as {total, busy, steal} ticks. Busy is user + nice +
     * system + irq + softirq; guest time is already inside user and nice, so it is not added again;
     * idle and iowait are the idle part; steal is time the CPUs were not ours at all.
     */
    static long[] cpuTicks(String stat) {
        for (String line : stat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                long[] v = new long[8];
                for (int i = 0; i < 8 && i + 1 < f.length; i++) {
                    v[i] = Long.parseLong(f[i + 1]);
                }
                long busy = v[0] + v[1] + v[2] + v[5] + v[6];
                long total = busy + v[3] + v[4] + v[7];
                return new long[] {total, busy, v[7]};
            }
        }
        throw new IllegalArgumentException("/proc/stat has no aggregate 'cpu' line");
    }

    /**
     * utime + stime of /proc/PID/stat. The command name (field 2) is in parentheses and may hold
     * spaces and parentheses itself, so the fields are counted from the last ')'.
     */
    static long processTicks(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        String[] f = stat.substring(end + 1).trim().split("\\s+");
        // f[0] is field 3 (state); utime and stime are fields 14 and 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
