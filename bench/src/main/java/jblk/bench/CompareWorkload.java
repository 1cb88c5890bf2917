package jblk.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload of {@code ./jblk compare}: the null_blk parameters (always with {@link #COMMON}) and
 * the fio job (4 KiB, 1 or 2 jobs; 2 jobs run on 2 hardware queues, one software queue each).
 *
 * @param precondition write the whole device once before measuring (memory-backed: reads then
 *                     hit stored pages, and no variant pays for first-touch page allocation)
 */
record CompareWorkload(String name, String nullb, RwMode rw, int iodepth, int jobs, boolean precondition,
                       String summary) {
    /** Parameters every workload shares: no I/O accounting, no poll queues (so no hctx is polled). */
    /** no_sched=1: compare measures the binding, so every workload runs without an I/O scheduler (issue 14). */
    static final String COMMON = "iostats=0 poll_queues=0 no_sched=1";
    static final int BS = 4096;
    /**
     * CPUs {@code --workloads auto} needs to include the 2-job workloads: one per job, each with its
     * softirq thread, and room for everything else (the runner, the coordinator, the JIT, other
     * processes). On 2 CPUs two pinned jobs fill the machine, and the rest preempts them at random
     * (measured: paired rounds 12-55 points apart at irqmode=1-2jobs, where 1 job gives 1-2).
     */
    static final int CPUS_FOR_2JOBS = 4;

    /** The experiment's workloads, in run order; {@code mbSizeMiB} is the memory-backed capacity. */
    static Map<String, CompareWorkload> all(int mbSizeMiB) {
        Map<String, CompareWorkload> m = new LinkedHashMap<>();
        for (int jobs : new int[] {1, 2}) {
            String sfx = jobs == 1 ? "" : "-2jobs";
            String q = " submit_queues=" + jobs;
            add(m, new CompareWorkload("irqmode=0" + sfx, "irqmode=0" + q, RwMode.RANDREAD, 1, jobs, false,
                    "4k randread, completion inline in submitBio (iodepth 1 in effect)"));
        }
        for (int jobs : new int[] {1, 2}) {
            String sfx = jobs == 1 ? "" : "-2jobs";
            String q = " submit_queues=" + jobs;
            add(m, new CompareWorkload("irqmode=1" + sfx, "irqmode=1" + q, RwMode.RANDREAD, 32, jobs, false,
                    "4k randread iodepth 32, completion on the softirq thread"));
        }
        for (RwMode rw : new RwMode[] {RwMode.RANDREAD, RwMode.RANDWRITE}) {
            for (int jobs : new int[] {1, 2}) {
                String sfx = jobs == 1 ? "" : "-2jobs";
                String q = " submit_queues=" + jobs;
                add(m, new CompareWorkload("mb-" + rw.fioName() + sfx,
                        "memory_backed=1 size=" + mbSizeMiB + " irqmode=1" + q, rw, 32, jobs, true,
                        "4k " + rw.fioName() + " iodepth 32 over " + mbSizeMiB + " MiB stored in memory, softirq"));
            }
        }
        return m;
    }

    private static void add(Map<String, CompareWorkload> m, CompareWorkload w) {
        m.put(w.name, w);
    }

    /** The full null_blk parameter string. */
    String params() {
        return COMMON + " " + nullb;
    }

    /**
     * Picks workloads by name from a comma list ("all" or empty: every one; "auto": the 1-job ones,
     * and the 2-job ones too with at least {@link #CPUS_FOR_2JOBS} of {@code cpus}).
     */
    static List<CompareWorkload> select(String list, int mbSizeMiB, int cpus) {
        Map<String, CompareWorkload> all = all(mbSizeMiB);
        if (list == null || list.isBlank() || list.trim().equals("all")) {
            return new ArrayList<>(all.values());
        }
        if (list.trim().equals("auto")) {
            List<CompareWorkload> out = new ArrayList<>();
            for (CompareWorkload w : all.values()) {
                if (w.jobs == 1 || cpus >= CPUS_FOR_2JOBS) {
                    out.add(w);
                }
            }
            return out;
        }
        List<CompareWorkload> out = new ArrayList<>();
        for (String n : list.split(",")) {
            CompareWorkload w = all.get(n.trim());
            if (w == null) {
                throw new IllegalArgumentException("--workloads: unknown workload '" + n.trim() + "': allowed "
                        + String.join(", ", all.keySet()) + ", or all, or auto");
            }
            if (!out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
