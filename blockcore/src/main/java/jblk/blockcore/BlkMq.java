package jblk.blockcore;

import jblk.blockcore.spi.RequestWord;

/**
 * The blk-mq functions a driver calls, as the C API names them: {@code blk_mq_start_request},
 * {@code blk_mq_end_request}, {@code blk_mq_complete_request}, {@code blk_mq_requeue_request},
 * and friends. C semantics: they trust the caller (a request ended twice is undefined; {@code -ea}
 * assertions notice some misuse), so a raw driver is exactly as fast, and as dangerous, as in C.
 */
public final class BlkMq {
    private BlkMq() {
    }

    /**
     * {@code blk_mq_start_request}: the driver takes the request. Sets its deadline (the coarse
     * clock plus the tag set's timeout), arms the queue's rolling timer ({@code blk_add_timer};
     * usually one read) and marks it IN_FLIGHT; timeouts count from here.
     */
    public static void startRequest(Request rq) {
        RequestQueue q = rq.q;
        long w = rq.loWord();
        assert RequestState.allocated(w) && RequestState.state(w) == RequestState.IDLE
                : "startRequest on a request that is not allocated and idle: " + RequestState.toString(w);
        long now = q.jiffies();
        long deadline = now + q.timeoutMs + q.scanIntervalMs;
        rq.deadlineMs = deadline;
        q.timeoutTimer.add(now, deadline);
        rq.soWord((w & (RequestState.GEN_MASK | RequestWord.REFS_MASK))
                | RequestState.ALLOCATED | RequestState.IN_FLIGHT);
    }

    /**
     * {@code blk_mq_end_request}: account the I/O, complete the bio (its callback runs here) and
     * free the tag. Ending a request twice is undefined, as in C.
     */
    public static void endRequest(Request rq, BlkStatus status) {
        long w = rq.loWord();
        completeBio(rq, status, w);
        freeRequest(rq, w);
    }

    /** The accounting and bio half of {@code blk_mq_end_request} ({@code blk_update_request}). */
    private static void completeBio(Request rq, BlkStatus status, long w) {
        RequestQueue q = rq.q;
        assert RequestState.allocated(w) : "endRequest on a free request (ended twice?): tag " + rq.tag;
        if (q.iostats && rq.startTimeNs != 0) {
            q.stats.accountDone(rq, System.nanoTime());
        }
        Bio bio = rq.bio;
        if (rq.op == ReqOp.ZONE_APPEND) {
            bio.sector(rq.sector); // blk_zone_update_request_bio: where the append wrote
        }
        int done = status == BlkStatus.OK ? rq.nrBytes : Math.max(0, rq.bytesDone);
        bio.complete(status, done, null);
        callEndIo(bio);
    }

    /**
     * {@code blk_mq_add_to_batch}: puts a finished request on {@code iob} instead of ending it now.
     * Refused, as in the kernel, without a batch, for a request that went through an I/O scheduler
     * ({@code RQF_USE_SCHED}: its finish_request hook runs per request) and for an error (it is
     * ended on its own, with its status). jblk has no {@code rq->end_io}, the kernel's third
     * refusal. On false the caller ends the request itself ({@link #endRequest}).
     */
    public static boolean addToBatch(Request rq, IoCompBatch iob, boolean isError) {
        if (iob == null || rq.schedTag >= 0 || isError) {
            return false;
        }
        if (rq.q.iostats && rq.startTimeNs != 0) {
            iob.needTs = true;
        }
        iob.reqList.add(rq);
        return true;
    }

    /**
     * {@code blk_mq_end_request_batch}: ends every request of {@code iob} with OK: one clock read
     * for the whole batch ({@code need_ts}), then per request the accounting, the bio's callback and
     * the state back to IDLE and the allocation's {@code rq->ref} put; the tags whose last reference that
     * was go back in chunks of {@link IoCompBatch#TAG_COMP_BATCH} per
     * hardware queue ({@code blk_mq_flush_tag_batch}), and a waiting restart runs once per chunk.
     */
    public static void endRequestBatch(IoCompBatch iob) {
        long now = iob.needTs ? System.nanoTime() : 0;
        iob.needTs = false;
        int[] tags = iob.tagBuf;
        int nrTags = 0;
        HwQueue cur = null;
        Tags curTags = null;
        Request rq;
        while ((rq = iob.reqList.poll()) != null) {
            long w = rq.loWord();
            assert RequestState.allocated(w) : "endRequestBatch on a free request (ended twice?): tag " + rq.tag;
            RequestQueue q = rq.q;
            if (now != 0 && q.iostats && rq.startTimeNs != 0) {
                q.stats.accountDone(rq, now);
            }
            Bio bio = rq.bio;
            if (rq.op == ReqOp.ZONE_APPEND) {
                bio.sector(rq.sector);
            }
            bio.complete(BlkStatus.OK, rq.nrBytes, null);
            callEndIo(bio);
            rq.soWord(w & RequestState.GEN_MASK); // IDLE
            if (!rq.refPutAndTest()) {
                continue; // a tag iterator holds it: its put frees the tag (freeRequestTag)
            }
            HwQueue hctx = rq.hctx;
            if (rq.countedActive) {
                AtomicTally.count(AtomicTally.HCTX);
                hctx.share.nrActive.decrementAndGet();
            }
            if (nrTags == IoCompBatch.TAG_COMP_BATCH || hctx != cur) {
                if (cur != null) {
                    flushTagBatch(cur, curTags, tags, nrTags);
                }
                nrTags = 0;
                cur = hctx;
                curTags = rq.tags;
            }
            tags[nrTags++] = rq.tag;
        }
        if (nrTags != 0) {
            flushTagBatch(cur, curTags, tags, nrTags);
        }
    }

    /** {@code blk_mq_flush_tag_batch}: the chunk's tags go back, then one restart check. */
    private static void flushTagBatch(HwQueue hctx, Tags tags, int[] tagArray, int nr) {
        for (int i = 0; i < nr; i++) {
            tags.putTag(tagArray[i], false);
        }
        if (hctx.restartPending()) {
            hctx.schedRestart();
        }
    }

    /** Calls the bio's callback; an exception from it is reported, never propagated into the core. */
    static void callEndIo(Bio bio) {
        if (bio.zonePlug != null) {
            DiskZones.bioEndio(bio); // before the callback, which may reuse the bio
        }
        try {
            bio.endIoCallback().endIo(bio);
        } catch (RuntimeException e) {
            BlkLog.LOG.log(System.Logger.Level.ERROR, "bio end_io callback threw: " + e, e);
        }
    }

    /**
     * {@code blk_mq_free_request}: the request goes IDLE, then drops the reference it held since
     * allocation; whoever drops the last one (this end, or a tag iterator that held the request
     * meanwhile) frees it.
     */
    private static void freeRequest(Request rq, long w) {
        rq.soWord(w & RequestState.GEN_MASK);
        if (rq.refPutAndTest()) {
            freeRequestTag(rq);
        }
    }

    /**
     * {@code __blk_mq_free_request}: the tag goes back (to this submitter's hint when freed on its
     * own CPU); a waiting restart runs. Called by the last {@code rq->ref} put only.
     */
    static void freeRequestTag(Request rq) {
        HwQueue hctx = rq.hctx;
        Tags tags = rq.tags;
        int tag = rq.tag;
        if (rq.schedTag >= 0) {
            freeSched(rq, hctx); // before the driver tag: a freeze waits on that one
        }
        if (rq.countedActive) {
            AtomicTally.count(AtomicTally.HCTX);
            hctx.share.nrActive.decrementAndGet();
        }
        SwQueue ctx = rq.ctx;
        boolean local = ctx.owner == Thread.currentThread();
        if (local && tag >= tags.nrReservedTags) {
            // sbitmap_update_cpu_hint: this submitter's next request reuses the cache-hot tag.
            ctx.hints[hctx.type.ordinal()] = tag - tags.nrReservedTags;
        }
        tags.putTag(tag, local);
        if (hctx.restartPending()) {
            hctx.schedRestart();
        }
    }

    /**
     * The scheduler's half of {@code blk_mq_free_request}: {@code finish_request}, then the
     * scheduler tag goes back. Done while the driver tag is still held, so a scheduler switch (which
     * freezes, i.e. waits for the driver tags) cannot swap the scheduler or its tags under us.
     */
    private static void freeSched(Request rq, HwQueue hctx) {
        Elevator e = rq.q.elevator;
        if (e != null) {
            e.finishRequest(rq);
        }
        SchedTags st = hctx.schedTags;
        int schedTag = rq.schedTag;
        rq.schedTag = -1;
        if (st != null) {
            st.put(schedTag);
        }
    }

    /**
     * {@link #endRequest} for a binding that already dropped the request's allocation reference
     * with its own CAS on {@code rq->ref} (the hpref strategy: that CAS was the ownership decision
     * and is the put): account, complete the bio, go IDLE and free the tag, with no second put.
     */
    static void endRequestPutDone(Request rq, BlkStatus status) {
        long w = rq.loWord();
        completeBio(rq, status, w);
        rq.soWord(w & RequestState.GEN_MASK);
        freeRequestTag(rq);
    }

    /**
     * {@code blk_mq_complete_request}: mark the request COMPLETE and hand it to its queue's softirq
     * context, which calls the driver's {@link BlkMqOps#complete}. A polled request completes
     * inline, as in the kernel.
     */
    public static void completeRequest(Request rq) {
        long w = rq.loWord();
        rq.soWord((w & ~(RequestState.STATE_MASK | RequestState.TIMED_OUT)) | RequestState.COMPLETE);
        raiseComplete(rq);
    }

    /**
     * The delivery half of {@link #completeRequest} ({@code blk_mq_raise_softirq}); binding layers
     * that moved the word with their own CAS reach it through the SPI's {@code BindingCompletion}.
     */
    static void raiseComplete(Request rq) {
        TagSet set = rq.q.set;
        if (!set.hasComplete) {
            throw new IllegalStateException("completeRequest: the driver has no complete callback");
        }
        if ((rq.cmdFlags & ReqFlags.POLLED) != 0) {
            callComplete(rq);
        } else {
            rq.hctx.softirq().raise(rq);
        }
    }

    /**
     * Arms the queue's high-resolution timer (null_blk's per-command hrtimer, irqmode=2): after
     * {@code delayNs} the timer context calls the driver's {@link BlkMqOps#complete} with the
     * request, which stays IN_FLIGHT until then.
     */
    public static void completeRequestAfter(Request rq, long delayNs) {
        if (!rq.q.set.hasComplete) {
            throw new IllegalStateException("completeRequestAfter: the driver has no complete callback");
        }
        rq.hctx.timer().start(rq, System.nanoTime() + delayNs);
    }

    /** Calls the driver's complete; a raw driver that throws gets the request ended with IOERR. */
    static void callComplete(Request rq) {
        long before = rq.loWord();
        try {
            rq.q.set.ops.complete(rq);
        } catch (RuntimeException e) {
            BlkLog.driverException("complete (tag " + rq.tag + ")", e);
            long now = rq.lvWord();
            if (RequestState.generation(now) == RequestState.generation(before) && RequestState.allocated(now)) {
                endRequest(rq, BlkStatus.IOERR);
            }
        }
    }

    /**
     * {@code blk_mq_requeue_request}: the driver gives the request back unfinished; it goes on
     * the queue's requeue list and is dispatched again after {@link #kickRequeueList} (at once
     * if {@code kick}).
     */
    public static void requeueRequest(Request rq, boolean kick) {
        requeueState(rq);
        RequestQueue q = rq.q;
        q.addToRequeueList(rq);
        if (kick) {
            q.kblockd.kickRequeue(0);
        }
    }

    /** {@code blk_mq_kick_requeue_list}. */
    public static void kickRequeueList(GenDisk disk) {
        disk.queue.kblockd.kickRequeue(0);
    }

    /** {@code blk_mq_delay_kick_requeue_list}. */
    public static void delayKickRequeueList(GenDisk disk, long delayMs) {
        disk.queue.kblockd.kickRequeue(delayMs * 1_000_000L);
    }

    /** {@code __blk_mq_requeue_request}: back to IDLE (still allocated), TIMED_OUT cleared. */
    static void requeueState(Request rq) {
        long w = rq.loWord();
        assert RequestState.allocated(w) : "requeue of a free request: tag " + rq.tag;
        if (RequestState.state(w) != RequestState.IDLE || RequestState.timedOut(w)) {
            rq.soWord(w & ~(RequestState.STATE_MASK | RequestState.TIMED_OUT));
        }
    }

    /** {@code blk_mq_request_started}. */
    public static boolean requestStarted(Request rq) {
        return RequestState.state(rq.laWord()) != RequestState.IDLE;
    }

    /** {@code blk_mq_request_completed}. */
    public static boolean requestCompleted(Request rq) {
        return RequestState.state(rq.laWord()) == RequestState.COMPLETE;
    }

    /** {@code blk_mq_stop_hw_queues}. */
    public static void stopHwQueues(GenDisk disk) {
        for (HwQueue h : disk.queue.hctxs) {
            h.stop();
        }
    }

    /** {@code blk_mq_start_stopped_hw_queues}. */
    public static void startStoppedHwQueues(GenDisk disk, boolean async) {
        for (HwQueue h : disk.queue.hctxs) {
            h.startStopped(async);
        }
    }

    /** {@code blk_mq_run_hw_queues}. */
    public static void runHwQueues(GenDisk disk, boolean async) {
        disk.queue.runHwQueues(async);
    }
}
