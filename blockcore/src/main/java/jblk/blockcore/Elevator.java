package jblk.blockcore;

import java.util.Map;

/**
 * Models {@code struct elevator_mq_ops} (include/linux/elevator.h): the callbacks of an I/O
 * scheduler attached to one request queue. blk-mq calls them under its own rules: inserts from
 * submitters and the requeue work, dispatch from whoever runs a hardware queue (many threads at
 * once, so an implementation locks what it shares, as mq-deadline's {@code dd->lock}), finish when
 * a request is freed. A scheduler that is attached holds every request of the queue between
 * allocation and dispatch; {@link GenDisk#setScheduler} switches schedulers only with the queue
 * frozen and quiesced, so the scheduler it replaces is empty.
 */
public interface Elevator {
    /** The kernel name ({@code elevator_type.elevator_name}), as {@code queue/scheduler} shows it. */
    String name();

    /** {@code init_sched}: the queue's {@code nr_requests} when the scheduler is attached. */
    void initSched(int nrRequests);

    /** {@code exit_sched}: the queue is frozen and quiesced, the scheduler empty. */
    void exitSched();

    /** {@code init_hctx}: a hardware queue joins (at attach time and when queues are added). */
    default void initHctx(HwQueue hctx) {
    }

    /** {@code exit_hctx}. */
    default void exitHctx(HwQueue hctx) {
    }

    /** {@code depth_updated}: {@code nr_requests} changed (queue frozen). */
    default void depthUpdated(int nrRequests) {
    }

    /**
     * {@code limit_depth}: how many scheduler tags a request of this kind may use out of
     * {@code nrRequests} (the sbitmap's shallow depth); {@code nrRequests} for no limit.
     */
    default int limitDepth(ReqOp op, int cmdFlags, int nrRequests) {
        return nrRequests;
    }

    /** {@code insert_requests}: takes every request of {@code list} ({@code atHead}: requeued ones). */
    void insertRequests(HwQueue hctx, RequestList list, boolean atHead);

    /** {@code dispatch_request}: the next request to issue, or null. */
    Request dispatchRequest(HwQueue hctx);

    /** {@code has_work}: whether {@link #dispatchRequest} would return something. */
    boolean hasWork(HwQueue hctx);

    /** {@code requests_merged}: jblk does not merge requests, so nobody calls this yet. */
    default void requestsMerged(Request rq, Request next) {
    }

    /** {@code finish_request}: the request is being freed (completed or failed). */
    default void finishRequest(Request rq) {
    }

    /** The scheduler's {@code /sys/block/<dev>/queue/iosched/} files. */
    default Map<String, String> tunables() {
        return Map.of();
    }

    /** Writes one iosched file; {@link IllegalArgumentException} names the file and the range. */
    default void setTunable(String name, String value) {
        throw new IllegalArgumentException("iosched/" + name + " does not exist for " + name());
    }

    /** The scheduler's debugfs files under {@code sched/}, name to content. */
    default Map<String, String> debugfs() {
        return Map.of();
    }
}
