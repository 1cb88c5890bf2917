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

    /** Picks workloads by name from a comma list ("all" or empty: every one). */
    static List<CompareWorkload> select(String list, int mbSizeMiB) {
        Map<String, CompareWorkload> all = all(mbSizeMiB);
        if (list == null || list.isBlank() || list.trim().equals("all")) {
            return new ArrayList<>(all.values());
        }
        List<CompareWorkload> out = new ArrayList<>();
        for (String n : list.split(",")) {
            CompareWorkload w = all.get(n.trim());
            if (w == null) {
                throw new IllegalArgumentException("--workloads: unknown workload '" + n.trim() + "': allowed "
                        + String.join(", ", all.keySet()));
            }
            if (!out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
