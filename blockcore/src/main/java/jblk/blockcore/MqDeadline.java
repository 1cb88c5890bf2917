package jblk.blockcore;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Models block/mq-deadline.c: requests wait per priority class (RT, BE, IDLE) and direction in a
 * sector-sorted list and a FIFO with an expiry ({@code read_expire} 500 ms, {@code write_expire}
 * 5 s); dispatch sweeps upward by sector in batches of up to {@code fifo_batch} of one direction,
 * serves the oldest request instead once its deadline has passed, and lets reads pass writes at
 * most {@code writes_starved} times. One lock ({@code dd->lock}) for the whole queue, as in C.
 *
 * <p>jblk keeps the kernel's rules for priority: a lower class is served only while no higher one
 * has requests queued or in the driver ({@code dd_queued}), except that requests of a lower class
 * older than {@code prio_aging_expire} (10 s) go first. Merging is not modelled (jblk never merges).
 */
final class MqDeadline implements Elevator {
    static final long READ_EXPIRE_MS = 500;
    static final long WRITE_EXPIRE_MS = 5000;
    static final int FIFO_BATCH = 16;
    static final int WRITES_STARVED = 2;
    static final long PRIO_AGING_EXPIRE_MS = 10_000;
    /** {@code enum dd_prio}. */
    static final int RT_PRIO = 0;
    static final int BE_PRIO = 1;
    static final int IDLE_PRIO = 2;
    private static final String[] PRIO_NAMES = {"0", "1", "2"};
    /** elvSeq's low bits: the class index (2 bits) and "counted in inserted" ({@code elv.priv[0]}). */
    private static final int PRIO_MASK = 3;
    private static final int COUNTED = 4;
    private static final int SEQ_SHIFT = 3;

    private final RequestQueue q;
    private final DdPerPrio[] perPrio = {new DdPerPrio(), new DdPerPrio(), new DdPerPrio()};
    /** {@code dd->dispatch}: requeued and at-head requests, served before everything else. */
    private final ArrayDeque<Request> dispatch = new ArrayDeque<>();
    private int lastDir = DdPerPrio.WRITE; // dd_init_sched
    private int batching;
    private int starved;
    private long seq;
    /** Requests in the lists above (what {@code has_work} looks at without the lock). */
    private volatile int queuedInLists;

    // iosched tunables (block/mq-deadline.c's deadline_attrs)
    private volatile long readExpireNs = READ_EXPIRE_MS * 1_000_000L;
    private volatile long writeExpireNs = WRITE_EXPIRE_MS * 1_000_000L;
    private volatile int fifoBatch = FIFO_BATCH;
    private volatile int writesStarved = WRITES_STARVED;
    private volatile long prioAgingExpireNs = PRIO_AGING_EXPIRE_MS * 1_000_000L;
    private volatile int asyncDepth;
    private volatile int frontMerges = 1;

    MqDeadline(RequestQueue q) {
        this.q = q;
    }

    @Override
    public String name() {
        return ElevatorType.MQ_DEADLINE.kernelName();
    }

    @Override
    public void initSched(int nrRequests) {
        depthUpdated(nrRequests);
    }

    @Override
    public void exitSched() {
        synchronized (this) {
            if (queuedInLists != 0) {
                throw new IllegalStateException("mq-deadline exits with " + queuedInLists + " requests queued");
            }
        }
    }

    /** {@code dd_depth_updated}: async requests may use 3/4 of the scheduler tags. */
    @Override
    public void depthUpdated(int nrRequests) {
        asyncDepth = Math.max(1, 3 * nrRequests / 4);
    }

    /**
     * {@code dd_limit_depth}: synchronous reads may use every scheduler tag, everything else only
     * {@code async_depth}, so writes cannot starve reads of tags.
     */
    @Override
    public int limitDepth(ReqOp op, int cmdFlags, int nrRequests) {
        if (op == ReqOp.READ) {
            return nrRequests;
        }
        return Math.min(nrRequests, asyncDepth);
    }

    private static int dataDir(Request rq) {
        return rq.op == ReqOp.READ ? DdPerPrio.READ : DdPerPrio.WRITE;
    }

    /** {@code ioprio_class_to_prio}: NONE and BE are best effort. */
    private static int prioOf(Bio bio) {
        switch (IoPrio.prioClass(bio.ioprio())) {
            case IoPrio.CLASS_RT:
                return RT_PRIO;
            case IoPrio.CLASS_IDLE:
                return IDLE_PRIO;
            default:
                return BE_PRIO;
        }
    }

    private long expireNs(int dir) {
        return dir == DdPerPrio.READ ? readExpireNs : writeExpireNs;
    }

    // ---- insert ----------------------------------------------------------------------------------

    @Override
    public void insertRequests(HwQueue hctx, RequestList list, boolean atHead) {
        long now = System.nanoTime();
        synchronized (this) {
            Request rq;
            while ((rq = list.poll()) != null) {
                insertRequest(rq, atHead, now);
            }
        }
    }

    /** {@code dd_insert_request}. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // under this queue's lock (dd->lock); volatile for exit's read
    private void insertRequest(Request rq, boolean atHead, long now) {
        int prio;
        if ((rq.elvSeq & COUNTED) == 0) {
            prio = prioOf(rq.bio); // the class is fixed at the first insert: finish counts it there
            perPrio[prio].inserted++;
        } else {
            prio = (int) (rq.elvSeq & PRIO_MASK);
        }
        rq.elvSeq = (++seq << SEQ_SHIFT) | COUNTED | prio;
        if (atHead) {
            dispatch.addFirst(rq);
        } else {
            int dir = dataDir(rq);
            rq.fifoTimeNs = now + expireNs(dir);
            perPrio[prio].add(rq, dir);
        }
        queuedInLists++;
    }

    // ---- dispatch --------------------------------------------------------------------------------

    @Override
    public boolean hasWork(HwQueue hctx) {
        return queuedInLists != 0;
    }

    /**
     * {@code dd_dispatch_request}: the dispatch list first, then requests of lower classes that
     * aged past {@code prio_aging_expire}, then by class, stopping at the first class that has
     * requests queued or in flight.
     */
    @Override
    public Request dispatchRequest(HwQueue hctx) {
        long now = System.nanoTime();
        synchronized (this) {
            Request rq = dispatch.pollFirst();
            if (rq != null) {
                queuedInLists--;
                return rq; // counted as dispatched the first time it left the scheduler
            }
            rq = dispatchPrioAged(now);
            if (rq == null) {
                for (int prio = RT_PRIO; prio <= IDLE_PRIO; prio++) {
                    rq = dispatchFrom(perPrio[prio], now, now);
                    if (rq != null || perPrio[prio].queued() != 0) {
                        break;
                    }
                }
            }
            if (rq != null) {
                perPrio[(int) (rq.elvSeq & PRIO_MASK)].dispatched++;
                queuedInLists--;
            }
            return rq;
        }
    }

    /** {@code dd_dispatch_prio_aged_requests}: only when two or more classes have requests. */
    private Request dispatchPrioAged(long now) {
        int classes = 0;
        for (DdPerPrio p : perPrio) {
            if (p.queued() != 0) {
                classes++;
            }
        }
        if (classes < 2) {
            return null;
        }
        for (int prio = BE_PRIO; prio <= IDLE_PRIO; prio++) {
            Request rq = dispatchFrom(perPrio[prio], now, now - prioAgingExpireNs);
            if (rq != null) {
                return rq;
            }
        }
        return null;
    }

    /**
     * {@code __dd_dispatch_request}: continue the batch while the sweep has a next request, else
     * pick a direction (reads, unless writes were starved {@code writes_starved} times) and start a
     * batch at the sweep position, or at the oldest request once its deadline passed. A request that
     * arrived after {@code latestStart} is left alone (the aging pass asks only for old ones).
     */
    private Request dispatchFrom(DdPerPrio pp, long now, long latestStart) {
        if (!pp.hasQueued()) {
            return null;
        }
        Request rq = pp.nextFromPos(lastDir);
        int dir;
        if (rq != null && batching < fifoBatch) {
            dir = lastDir;
        } else {
            boolean reads = !pp.fifoList[DdPerPrio.READ].isEmpty();
            boolean writes = !pp.fifoList[DdPerPrio.WRITE].isEmpty();
            if (reads && !(writes && starved++ >= writesStarved)) {
                dir = DdPerPrio.READ;
            } else if (writes) {
                starved = 0;
                dir = DdPerPrio.WRITE;
            } else {
                return null;
            }
            Request next = pp.nextFromPos(dir);
            Request oldest = pp.fifoFirst(dir);
            // deadline_check_fifo: the oldest has expired, or the sweep ran off the end.
            rq = next == null || now - oldest.fifoTimeNs >= 0 ? oldest : next;
            lastDir = dir;
            batching = 0;
        }
        if (rq.fifoTimeNs - expireNs(dir) - latestStart > 0) {
            return null; // started_after
        }
        batching++;
        pp.remove(rq, dir);
        pp.latestPos[dir] = rq.sector + (rq.nrBytes >>> Bio.SECTOR_SHIFT);
        return rq;
    }

    // ---- completion ------------------------------------------------------------------------------

    /** {@code dd_finish_request}: counted once per request, however often it was requeued. */
    @Override
    public void finishRequest(Request rq) {
        if ((rq.elvSeq & COUNTED) != 0) {
            AtomicTally.count(AtomicTally.SCHED);
            perPrio[(int) (rq.elvSeq & PRIO_MASK)].completed.incrementAndGet();
        }
    }

    // ---- sysfs and debugfs -------------------------------------------------------------------------

    @Override
    public Map<String, String> tunables() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("read_expire", Long.toString(readExpireNs / 1_000_000L));
        m.put("write_expire", Long.toString(writeExpireNs / 1_000_000L));
        m.put("writes_starved", Integer.toString(writesStarved));
        m.put("front_merges", Integer.toString(frontMerges));
        m.put("async_depth", Integer.toString(asyncDepth));
        m.put("fifo_batch", Integer.toString(fifoBatch));
        m.put("prio_aging_expire", Long.toString(prioAgingExpireNs / 1_000_000L));
        return m;
    }

    @Override
    public void setTunable(String name, String value) {
        long v = parse(name, value);
        switch (name) {
            case "read_expire":
                readExpireNs = range(name, v, 0, Integer.MAX_VALUE) * 1_000_000L;
                break;
            case "write_expire":
                writeExpireNs = range(name, v, 0, Integer.MAX_VALUE) * 1_000_000L;
                break;
            case "writes_starved":
                writesStarved = (int) range(name, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
                break;
            case "front_merges":
                frontMerges = (int) range(name, v, 0, 1);
                break;
            case "async_depth":
                asyncDepth = (int) range(name, v, 1, Integer.MAX_VALUE);
                break;
            case "fifo_batch":
                fifoBatch = (int) range(name, v, 0, Integer.MAX_VALUE);
                break;
            case "prio_aging_expire":
                prioAgingExpireNs = range(name, v, 0, Integer.MAX_VALUE) * 1_000_000L;
                break;
            default:
                throw new IllegalArgumentException("iosched/" + name + " does not exist for mq-deadline: allowed "
                        + String.join(", ", tunables().keySet()));
        }
    }

    private static long parse(String name, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iosched/" + name + " '" + value + "' is not a number", e);
        }
    }

    private static long range(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("iosched/" + name + " " + v + " is out of range: allowed "
                    + min + ".." + max);
        }
        return v;
    }

    /** The kernel's {@code deadline_queue_debugfs_attrs}: FIFO lists per direction and class, and state. */
    @Override
    public Map<String, String> debugfs() {
        Map<String, String> m = new LinkedHashMap<>();
        synchronized (this) {
            for (int prio = RT_PRIO; prio <= IDLE_PRIO; prio++) {
                m.put("read" + PRIO_NAMES[prio] + "_fifo_list",
                        BlkMqDebugfs.requests(q, perPrio[prio].fifoList[DdPerPrio.READ].toArray(new Request[0])));
                m.put("write" + PRIO_NAMES[prio] + "_fifo_list",
                        BlkMqDebugfs.requests(q, perPrio[prio].fifoList[DdPerPrio.WRITE].toArray(new Request[0])));
            }
            m.put("dispatch", BlkMqDebugfs.requests(q, dispatch.toArray(new Request[0])));
            m.put("async_depth", asyncDepth + "\n");
            m.put("batching", batching + "\n");
            m.put("starved", starved + "\n");
            m.put("queued", perPrio[0].queued() + " " + perPrio[1].queued() + " " + perPrio[2].queued() + "\n");
            m.put("owned_by_driver", owned(0) + " " + owned(1) + " " + owned(2) + "\n");
        }
        return m;
    }

    /** {@code dd_owned_by_driver}: dispatched and not completed. */
    private long owned(int prio) {
        return perPrio[prio].dispatched - perPrio[prio].completed.get();
    }
}
