package jblk.blockcore;

import java.util.Arrays;

/**
 * Models {@code struct blk_mq_queue_map}: for one {@link HctxType}, which hardware queue each
 * submitting context ("CPU") uses. jblk's contexts are {@link SwQueue}s, numbered as they open;
 * context {@code c} uses the entry for CPU {@code c % nrCpuIds}.
 */
public final class QueueMap {
    private final int nrCpuIds;
    private int[] mqMap;
    private int nrQueues;
    private int queueOffset;

    QueueMap(int nrCpuIds) {
        this.nrCpuIds = nrCpuIds;
        this.mqMap = new int[nrCpuIds];
    }

    public int nrQueues() {
        return nrQueues;
    }

    public int queueOffset() {
        return queueOffset;
    }

    public int nrCpuIds() {
        return nrCpuIds;
    }

    /** Sets the queues this map spreads over (a driver's map_queues does this per map). */
    public void setQueues(int nrQueues, int queueOffset) {
        this.nrQueues = nrQueues;
        this.queueOffset = queueOffset;
    }

    /** Points CPU {@code cpu} at hardware queue {@code hctxIdx} (a driver's own map_queues). */
    public void set(int cpu, int hctxIdx) {
        mqMap[cpu] = hctxIdx;
    }

    /**
     * {@code blk_mq_map_queues}: the default spread. CPUs are grouped evenly and in order, as
     * {@code group_cpus_evenly} does for one node: with 4 CPUs on 2 queues, CPUs 0-1 use the first
     * queue and 2-3 the second. With more queues than CPUs there are only as many groups as CPUs;
     * queue {@code q} takes group {@code q % groups}, so later queues take the CPUs over and the
     * first {@code nrQueues - nrCpuIds} queues are left with none (their hctxs go INACTIVE).
     */
    public void mapQueues() {
        if (nrQueues == 0) {
            Arrays.fill(mqMap, queueOffset);
            return;
        }
        int groups = Math.min(nrQueues, nrCpuIds);
        for (int q = 0; q < nrQueues; q++) {
            int g = q % groups;
            for (int cpu = 0; cpu < nrCpuIds; cpu++) {
                if ((int) ((long) cpu * groups / nrCpuIds) == g) {
                    mqMap[cpu] = queueOffset + q;
                }
            }
        }
    }

    /** The hardware queue for submitting context {@code ctxIndex}. */
    public int hctxFor(int ctxIndex) {
        return mqMap[ctxIndex % nrCpuIds];
    }

    QueueMap copy() {
        QueueMap m = new QueueMap(nrCpuIds);
        m.mqMap = mqMap.clone();
        m.nrQueues = nrQueues;
        m.queueOffset = queueOffset;
        return m;
    }
}
