package jblk.nullblk;

import jblk.blockcore.BlkMq;
import jblk.blockcore.BlkMqOps;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.HwQueue;
import jblk.blockcore.IoCompBatch;
import jblk.blockcore.Request;
import jblk.blockcore.RequestList;
import jblk.blockcore.TagSet;

/**
 * null_blk as the C driver is written (drivers/block/null_blk/main.c), against the raw
 * {@link BlkMqOps}: {@code null_queue_rq}'s order of checks, {@code null_complete_rq},
 * {@code null_timeout_rq}, {@code null_poll}, {@code null_queue_rqs}. It trusts itself, as C
 * does: nothing checks that a request is ended once.
 */
public final class RawNullBlk implements BlkMqOps {
    /** The devices this driver serves (several with shared_tags): the queuedata lookup. */
    final NullbDevices devices = new NullbDevices();

    /** A driver with no device yet; NullbDevice registers each one it builds. */
    public RawNullBlk() {
    }

    @Override
    public Object initRequest(TagSet set, Request rq, int hctxIdx) {
        return new NullCmd();
    }

    @Override
    public Object initHctx(HwQueue hctx, int hctxIdx) {
        NullBlkEngine e = devices.get(hctx.disk());
        e.checkInitHctx(hctxIdx);
        return new NullQueue(e, hctx);
    }

    /** {@code null_queue_rq}, its straight path kept small for the JIT (see {@link NullBlk}). */
    @Override
    public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
        NullQueue nq = (NullQueue) hctx.driverData();
        NullBlkEngine e = nq.engine;
        NullCmd cmd = (NullCmd) rq.pdu();
        cmd.reset();
        if (e.slowPath) {
            BlkStatus st = faultsAndPolling(e, nq, cmd, rq);
            if (st != null) {
                return st;
            }
        } else {
            BlkMq.startRequest(rq);
        }
        BlkStatus st = e.trivial() ? BlkStatus.OK
                : e.handleCmd(cmd, rq.op(), rq.sector(), rq.bytes(), rq.buffer(), rq.bufOffset(), rq.cmdFlags());
        cmd.setError(st);
        if (cmd.partialBytes >= 0) {
            rq.setBytesDone(cmd.partialBytes);
        }
        if (cmd.appendSector >= 0) {
            rq.setSector(cmd.appendSector); // null_zone_write: rq->__sector = the write pointer
        }
        int irq = e.irqmode;
        if (irq == 0) {
            BlkMq.endRequest(rq, st);
        } else if (irq == 1) {
            BlkMq.completeRequest(rq);
        } else {
            BlkMq.completeRequestAfter(rq, e.completionNsec);
        }
        return BlkStatus.OK;
    }

    /**
     * The part of {@code null_queue_rq} before the command: requeue injection, the bandwidth cap,
     * start, poll queues, timeout injection. Returns the status to return, or null to go on (the
     * request then is started).
     */
    private static BlkStatus faultsAndPolling(NullBlkEngine e, NullQueue nq, NullCmd cmd, Request rq) {
        cmd.fakeTimeout = e.shouldTimeout();
        if (e.shouldRequeue()) {
            if (nq.nextRequeueIsResource()) {
                return BlkStatus.RESOURCE;
            }
            BlkMq.requeueRequest(rq, true);
            return BlkStatus.OK;
        }
        if (e.throttle != null) {
            BlkStatus st = e.throttle.charge(rq.bytes());
            if (st != BlkStatus.OK) {
                return st;
            }
        }
        BlkMq.startRequest(rq);
        if (nq.isPoll()) {
            nq.addPoll(rq);
            return BlkStatus.OK;
        }
        if (cmd.fakeTimeout) {
            return BlkStatus.OK; // never completed: null_timeout_rq ends it
        }
        return null;
    }

    /** {@code null_queue_rqs}: each through queueRq; what bounces goes back to the core. */
    @Override
    public void queueRqs(RequestList rqs) {
        RequestList requeue = new RequestList();
        Request rq;
        while ((rq = rqs.poll()) != null) {
            if (queueRq(rq.hctx(), rq, false) != BlkStatus.OK) {
                requeue.add(rq);
            }
        }
        rqs.addAll(requeue);
    }

    /** {@code null_complete_rq}. */
    @Override
    public void complete(Request rq) {
        BlkMq.endRequest(rq, ((NullCmd) rq.pdu()).error);
    }

    /** {@code null_timeout_rq}. */
    @Override
    public EhTimerReturn timeout(Request rq) {
        NullQueue nq = (NullQueue) rq.hctx().driverData();
        NullCmd cmd = (NullCmd) rq.pdu();
        if (nq.isPoll() && !nq.removePoll(rq)) {
            return EhTimerReturn.DONE; // poll() got it first
        }
        cmd.error = BlkStatus.TIMEOUT;
        if (cmd.fakeTimeout || nq.isPoll()) {
            BlkMq.completeRequest(rq);
        }
        return EhTimerReturn.DONE;
    }

    /** {@code null_poll} without a batch (a synchronous poller): every request is ended on its own. */
    @Override
    public int poll(HwQueue hctx) {
        return poll(hctx, null);
    }

    /**
     * {@code null_poll}: process everything on the poll list; each finished request goes on
     * {@code iob} ({@code blk_mq_add_to_batch}), or is ended here where the batch refuses it (no
     * batch, an error, a scheduler attached).
     */
    @Override
    public int poll(HwQueue hctx, IoCompBatch iob) {
        NullQueue nq = (NullQueue) hctx.driverData();
        int n = 0;
        Object o;
        while ((o = nq.pollOne()) != null) {
            Request rq = (Request) o;
            NullCmd cmd = (NullCmd) rq.pdu();
            BlkStatus st = nq.engine.processCmd(cmd, rq.op(), rq.sector(), rq.bytes(), rq.bio().buffer(),
                    rq.bio().bufOffset(), rq.cmdFlags());
            cmd.error = st;
            if (cmd.partialBytes >= 0) {
                rq.setBytesDone(cmd.partialBytes);
            }
            if (cmd.appendSector >= 0) {
                rq.setSector(cmd.appendSector); // null_zone_write: rq->__sector = the write pointer
            }
            if (!BlkMq.addToBatch(rq, iob, st != BlkStatus.OK)) {
                BlkMq.endRequest(rq, st);
            }
            n++;
        }
        return n;
    }
}
