package jblk.nullblk;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.HwQueue;
import jblk.safety.EndOutcome;
import jblk.safety.Operations;
import jblk.safety.RequestRef;
import jblk.safety.RqList;

/**
 * null_blk written against the safe {@link Operations} interface, as the Rust rnull driver is:
 * the same engine and behaviour as {@link RawNullBlk}, but every end goes through the request's
 * ownership token. The order of {@code null_queue_rq} is kept, except that the binding has already
 * started the request (the Rust vtable starts it before calling the driver); a RESOURCE or
 * DEV_RESOURCE return makes the binding take it back.
 */
public final class NullBlk implements Operations<NullCmd, NullQueue> {
    /** The devices this driver serves (several with shared_tags): the queuedata lookup. */
    final NullbDevices devices = new NullbDevices();

    /** A driver with no device yet; NullbDevice registers each one it builds. */
    public NullBlk() {
    }

    @Override
    public NullCmd newRequestData(int hctxIdx) {
        return new NullCmd();
    }

    @Override
    public NullQueue initHctx(HwQueue hctx) {
        NullBlkEngine e = devices.get(hctx.disk());
        e.checkInitHctx(hctx.queueNum());
        return new NullQueue(e, hctx);
    }

    @Override
    public void exitHctx(NullQueue hw, int hctxIdx) {
    }

    /**
     * {@code null_queue_rq}. The straight path (no faults, not a poll queue) is kept small so the
     * JIT inlines it into the block layer's dispatch, and the token need not leave it.
     */
    @Override
    public BlkStatus queueRq(NullQueue nq, RequestRef<NullCmd> rq, boolean isLast) {
        NullBlkEngine e = nq.engine;
        NullCmd cmd = rq.data();
        cmd.reset();
        if (e.slowPath) {
            BlkStatus st = faultsAndPolling(e, nq, cmd, rq);
            if (st != null) {
                return st;
            }
        }
        BlkStatus st = e.trivial() ? BlkStatus.OK
                : e.handleCmd(cmd, rq.op(), rq.sector(), rq.bytes(), rq.buffer(), rq.bufOffset(), rq.flags());
        cmd.setError(st);
        if (cmd.partialBytes >= 0) {
            rq.setBytesDone(cmd.partialBytes);
        }
        if (cmd.appendSector >= 0) {
            rq.setSector(cmd.appendSector); // null_zone_write: rq->__sector = the write pointer
        }
        int irq = e.irqmode;
        if (irq == 0) {
            rq.end(st);
        } else if (irq == 1) {
            rq.complete();
        } else {
            rq.completeAfter(e.completionNsec);
        }
        return BlkStatus.OK;
    }

    /**
     * The checks {@code null_queue_rq} makes before handling the command: requeue injection,
     * the bandwidth cap, poll queues, timeout injection. Returns the status to return, or null to
     * go on.
     */
    private static BlkStatus faultsAndPolling(NullBlkEngine e, NullQueue nq, NullCmd cmd, RequestRef<NullCmd> rq) {
        cmd.fakeTimeout = e.shouldTimeout();
        if (e.shouldRequeue()) {
            if (nq.nextRequeueIsResource()) {
                return BlkStatus.RESOURCE;
            }
            rq.requeue(true);
            return BlkStatus.OK;
        }
        if (e.throttle != null) {
            BlkStatus st = e.throttle.charge(rq.bytes());
            if (st != BlkStatus.OK) {
                return st;
            }
        }
        if (nq.isPoll()) {
            nq.addPoll(rq);
            return BlkStatus.OK;
        }
        if (cmd.fakeTimeout) {
            rq.release(); // keep it in flight, unreferenced: the timeout handler ends it
            return BlkStatus.OK;
        }
        return null;
    }

    @Override
    public void queueRqs(NullQueue hw, RqList<NullCmd> rqs) {
        RequestRef<NullCmd> rq;
        while ((rq = rqs.pop()) != null) {
            NullQueue nq = hwOf(rq, hw);
            BlkStatus st = queueRq(nq, rq, false);
            if (st != BlkStatus.OK) {
                rqs.requeue(rq);
            }
        }
    }

    private static NullQueue hwOf(RequestRef<NullCmd> rq, NullQueue first) {
        NullQueue q = (NullQueue) rq.disk().hwQueue(rq.hwQueueIndex()).driverData();
        return q != null ? q : first;
    }

    @Override
    public void commitRqs(NullQueue hw) {
        // null_blk has nothing to kick.
    }

    @Override
    public void complete(RequestRef<NullCmd> rq) {
        rq.end(rq.data().error);
    }

    @Override
    public EhTimerReturn timeout(RequestRef<NullCmd> rq) {
        NullQueue nq = (NullQueue) rq.disk().hwQueue(rq.hwQueueIndex()).driverData();
        NullCmd cmd = rq.data();
        if (nq.isPoll() && !nq.removePoll(o -> o instanceof RequestRef
                && ((RequestRef<?>) o).tag() == rq.tag() && ((RequestRef<?>) o).generation() == rq.generation()
                && ((RequestRef<?>) o).release())) {
            return EhTimerReturn.DONE;
        }
        cmd.error = BlkStatus.TIMEOUT;
        if (cmd.fakeTimeout || nq.isPoll()) {
            rq.end(BlkStatus.TIMEOUT);
        }
        return EhTimerReturn.DONE;
    }

    @Override
    public int poll(NullQueue nq) {
        int n = 0;
        Object o;
        while ((o = nq.pollOne()) != null) {
            @SuppressWarnings("unchecked")
            RequestRef<NullCmd> rq = (RequestRef<NullCmd>) o;
            NullCmd cmd = rq.data();
            BlkStatus st = nq.engine.processCmd(cmd, rq.op(), rq.sector(), rq.bytes(), rq.buffer(), rq.bufOffset(),
                    rq.flags());
            if (cmd.partialBytes >= 0) {
                rq.setBytesDone(cmd.partialBytes);
            }
            if (cmd.appendSector >= 0) {
                rq.setSector(cmd.appendSector); // null_zone_write: rq->__sector = the write pointer
            }
            if (rq.end(st) == EndOutcome.ENDED) {
                n++;
            }
        }
        return n;
    }
}
