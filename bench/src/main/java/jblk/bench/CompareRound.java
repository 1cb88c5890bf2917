package jblk.bench;

import java.util.List;
import java.util.Map;

/**
 * One round of {@code ./jblk compare} on one workload: every variant once, in {@link AbbaOrder}
 * (the order of their {@link Turns}, or of whole runs back to back), on one set of worker JVMs,
 * with what else the machine did meanwhile.
 *
 * @param set   which set of worker JVMs (0, 1, ...): the bootstrap's cluster
 * @param index the round's number within its set
 * @param cpus  the CPU of each job ("1", "0,1"), or "-" when not pinned ({@link CpuPlacement})
 */
record CompareRound(int set, int index, List<Variant> order, String cpus,
                    Map<Variant, Run> runs, ProcNoise.Noise noise) {
    /**
     * One variant's measured window; {@code switches}: how often its threads were switched onto a
     * CPU in it ({@link ContextSwitches}), -1 where unknown.
     */
    record Run(double iops, long ios, long cpuNs, long p99Ns, long allocBytes, long jitMs, String hctx,
               long switches) {
        /** CPU time of the device's and the job's threads per completed I/O, in ns (NaN if unknown). */
        double cpuPerIo() {
            return ios <= 0 || cpuNs < 0 ? Double.NaN : (double) cpuNs / ios;
        }

        /** Context switches per completed I/O (NaN if unknown). */
        double switchesPerIo() {
            return ios <= 0 || switches < 0 ? Double.NaN : (double) switches / ios;
        }

        /** This run and {@code o} (same length) as one: counts summed, IOPS averaged, the worse p99. */
        Run plus(Run o) {
            return new Run((iops + o.iops) / 2, ios + o.ios, sumOrUnknown(cpuNs, o.cpuNs), Math.max(p99Ns, o.p99Ns),
                    sumOrUnknown(allocBytes, o.allocBytes), jitMs + o.jitMs, hctx, sumOrUnknown(switches, o.switches));
        }

        private static long sumOrUnknown(long a, long b) {
            return a < 0 || b < 0 ? -1 : a + b;
        }
    }
}
