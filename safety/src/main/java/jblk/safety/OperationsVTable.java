package jblk.safety;

import jblk.blockcore.spi.RequestWord;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jblk.blockcore.BlkMqCallback;
import jblk.blockcore.BlkMqOps;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.GenDisk;
import jblk.blockcore.HwQueue;
import jblk.blockcore.Request;
import jblk.blockcore.RequestList;
import jblk.blockcore.RequestState;
import jblk.blockcore.TagSet;

/**
 * Models the Rust binding's {@code OperationsVTable<T>}: the raw {@link BlkMqOps} that blockcore
 * calls, adapting each callback to the safe {@link Operations} of the driver. For queueRq it starts
 * the request, issues the ownership token (mode-dependent), calls the driver and maps its status;
 * a driver that throws gets its request ended with IOERR exactly once.
 *
 * <p>Like {@code #[vtable]}, it offers blockcore only the optional callbacks the driver implements
 * ({@link #callbacks()}), so a driver without {@code poll} has no poll callback at all.
 */
final class OperationsVTable<T, H> implements BlkMqOps {
    final Operations<T, H> ops;
    final Ownership mode;
    /** GENERATION or DEBUG: every decision is {@link OwnershipWord}'s CAS on the state word. */
    private final boolean checked;
    private final boolean debug;
    private final Set<BlkMqCallback> callbacks;
    private final ConcurrentHashMap<GenDisk, Violations> violations = new ConcurrentHashMap<>();
    private final ThreadLocal<RqList<T>> rqLists = ThreadLocal.withInitial(() -> new RqList<>(this));

    OperationsVTable(Operations<T, H> ops, Ownership mode) {
        this.ops = ops;
        this.mode = mode;
        this.checked = mode.usesWord();
        this.debug = mode == Ownership.DEBUG;
        EnumSet<BlkMqCallback> cb = EnumSet.of(BlkMqCallback.COMMIT_RQS, BlkMqCallback.COMPLETE,
                BlkMqCallback.INIT_REQUEST, BlkMqCallback.EXIT_REQUEST, BlkMqCallback.SHOW_RQ);
        if (implemented(ops, "queueRqs", 2)) {
            cb.add(BlkMqCallback.QUEUE_RQS);
        }
        if (implemented(ops, "poll", 1)) {
            cb.add(BlkMqCallback.POLL);
        }
        if (implemented(ops, "timeout", 1)) {
            cb.add(BlkMqCallback.TIMEOUT);
        }
        if (implemented(ops, "initHctx", 1)) {
            cb.add(BlkMqCallback.INIT_HCTX);
        }
        if (implemented(ops, "exitHctx", 2)) {
            cb.add(BlkMqCallback.EXIT_HCTX);
        }
        this.callbacks = cb;
    }

    /**
     * The {@code HAS_*} constants: does the driver's class define {@code name} itself? A
     * {@link ForwardingOperations} implements what its subclass overrides, and what it forwards
     * when the driver it wraps implements it.
     */
    static boolean implemented(Operations<?, ?> ops, String name, int params) {
        for (Class<?> k = ops.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
            if (k == ForwardingOperations.class) {
                return declares(k, name, params)
                        && implemented(((ForwardingOperations<?, ?>) ops).delegate(), name, params);
            }
            if (declares(k, name, params)) {
                return true;
            }
        }
        return false;
    }

    private static boolean declares(Class<?> k, String name, int params) {
        for (Method m : k.getDeclaredMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == params && !m.isBridge() && !m.isSynthetic()) {
                return true;
            }
        }
        return false;
    }

    /** The optional callbacks offered to blockcore (HAS_QUEUE_RQS, HAS_POLL, HAS_TIMEOUT, ...). */
    @Override
    public Set<BlkMqCallback> callbacks() {
        return EnumSet.copyOf(callbacks);
    }

    boolean has(BlkMqCallback cb) {
        return callbacks.contains(cb);
    }

    // ---- tokens ---------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static <T> RequestData<T> wrapper(Request rq) {
        return (RequestData<T>) rq.pdu();
    }

    CheckedRequestRef<T> newRef(Request rq, RequestData<T> w, long gen, int role) {
        if (debug) {
            DebugRecord rec = w.debug;
            if (rec == null || rec.gen != gen) {
                rec = new DebugRecord(rq.tag(), gen);
            }
            return new DebugRequestRef<>(rq, w, gen, role, rec);
        }
        return new CheckedRequestRef<>(rq, w, gen, role);
    }

    /**
     * Issues the token for a request blockcore hands us: refs = 1, started (IN_FLIGHT), and a
     * handle for this generation. Mode OFF: just start it and use the tag's handle.
     */
    RequestRef<T> issue(Request rq, RequestData<T> w) {
        if (!checked) {
            return issueOther(rq, w);
        }
        long gen = OwnershipWord.issue(rq);
        jblk.blockcore.BlkMq.startRequest(rq);
        if (debug) {
            DebugRecord rec = new DebugRecord(rq.tag(), gen);
            w.debug = rec;
            return new DebugRequestRef<>(rq, w, gen, OwnershipWord.OWNER, rec);
        }
        return new CheckedRequestRef<>(rq, w, gen, OwnershipWord.OWNER);
    }

    /**
     * {@link #issue} for the strategies that do not use the state word: OFF and REFCOUNT hand out
     * the tag's one handle (REFCOUNT after {@code refcount = 2}); HPREF and OWNED a handle of this
     * issue, with the generation read by one acquire load (no atomic).
     */
    private RequestRef<T> issueOther(Request rq, RequestData<T> w) {
        switch (mode) {
            case REFCOUNT:
                RefcountWord.issue(w);
                jblk.blockcore.BlkMq.startRequest(rq);
                return w.refcountRef;
            case HPREF:
                jblk.blockcore.BlkMq.startRequest(rq);
                return new HprefRequestRef<>(rq, w, RequestState.generation(RequestWord.laWord(rq)),
                        OwnershipWord.OWNER, -1);
            case OWNED:
                if (w.lvRefcount() != 0) {
                    w.soRefcount(0); // an Owned dropped unended last time left it at 1; fresh issue
                }
                jblk.blockcore.BlkMq.startRequest(rq);
                return new OwnedRequestRef<>(rq, w, RequestState.generation(RequestWord.laWord(rq)),
                        OwnedRequestRef.OWNED);
            default:
                jblk.blockcore.BlkMq.startRequest(rq);
                return w.offRef;
        }
    }

    /**
     * Takes a request back from the driver after it returned a non-OK status: the token is revoked
     * (for RESOURCE/DEV_RESOURCE with a new generation, as it will be issued again). Returns false
     * if the driver had already ended, completed or handed it to a timer, which is a violation.
     */
    private static boolean revoke(Request rq, long gen, boolean busy) {
        return !OwnershipWord.refused(OwnershipWord.apply(rq, busy ? OwnershipWord.REVOKE_BUSY : OwnershipWord.REVOKE,
                gen, OwnershipWord.BINDING));
    }

    /**
     * Ends generation {@code gen} of {@code rq} with {@code status} whatever the references, if it
     * is still in the phase {@code op} takes it from (REVOKE: the driver's; FAIL_COMPLETION: the
     * completion's; CLOSE: any live one): the binding cleaning up after a driver error or at close.
     * False if it was no longer that generation's to end.
     */
    static boolean forceEnd(Request rq, long gen, BlkStatus status, int op) {
        if (OwnershipWord.refused(OwnershipWord.apply(rq, op, gen, OwnershipWord.BINDING))) {
            return false;
        }
        jblk.blockcore.BlkMq.endRequest(rq, status);
        return true;
    }

    // ---- violations -----------------------------------------------------------------------------

    Violations violations(GenDisk disk) {
        return violations.computeIfAbsent(disk, d -> new Violations(d.name()));
    }

    void forget(GenDisk disk) {
        violations.remove(disk);
    }

    /** Counts a refusal against the request's disk; in DEBUG prints where it was issued and ended. */
    EndOutcome refused(CheckedRequestRef<T> h, EndOutcome o, String what) {
        violation(h.rq.disk(), Violation.of(o));
        if (debug && h instanceof DebugRequestRef) {
            DebugRecord rec = ((DebugRequestRef<T>) h).record;
            StringBuilder sb = new StringBuilder();
            sb.append("ownership violation on ").append(h.rq.disk()).append(": ").append(what)
                    .append(" through ").append(h).append(" refused: ").append(o).append('\n');
            sb.append(trace("refused here", new Throwable("refused on thread " + Thread.currentThread().getName())));
            sb.append(trace("issued", rec.issued));
            Throwable first = rec.awaitFirstEnded(o == EndOutcome.ALREADY_ENDED || o == EndOutcome.STALE);
            if (first != null) {
                sb.append(trace("first ended", first));
            }
            SafetyLog.LOG.log(System.Logger.Level.WARNING, sb.toString());
        }
        return o;
    }

    void violation(GenDisk disk, Violation v) {
        violations(disk).add(v);
    }

    static String trace(String title, Throwable t) {
        StringBuilder sb = new StringBuilder("  ").append(title).append(": ").append(t.getMessage()).append('\n');
        StackTraceElement[] st = t.getStackTrace();
        int shown = 0;
        for (StackTraceElement e : st) {
            String cls = e.getClassName();
            if (cls.startsWith("jblk.safety.") || cls.startsWith("java.")) {
                continue; // show the driver's frames, not ours
            }
            sb.append("    at ").append(e).append('\n');
            if (++shown == 12) {
                break;
            }
        }
        return sb.toString();
    }

    // ---- BlkMqOps ---------------------------------------------------------------------------------

    @Override
    public Object initRequest(TagSet set, Request rq, int hctxIdx) {
        return new RequestData<>(ops.newRequestData(hctxIdx), this, rq);
    }

    @Override
    public void exitRequest(TagSet set, Request rq, int hctxIdx) {
        // The data is plain Java: dropping the wrapper is enough (drop_in_place in Rust).
    }

    @Override
    public Object initHctx(HwQueue hctx, int hctxIdx) {
        return ops.initHctx(hctx);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void exitHctx(HwQueue hctx, int hctxIdx) {
        ops.exitHctx((H) hctx.driverData(), hctxIdx);
    }

    @Override
    @SuppressWarnings("unchecked")
    public BlkStatus queueRq(HwQueue hctx, Request rq, boolean last) {
        RequestData<T> w = wrapper(rq);
        RequestRef<T> h = issue(rq, w);
        // Only primitives leave this method besides the driver call, so in the common case
        // (the driver ends the request inline) the handle does not escape and C2 can scalar
        // replace it: checked mode then allocates nothing.
        long gen = h.generation();
        BlkStatus st;
        try {
            st = ops.queueRq((H) hctx.driverData(), h, last);
        } catch (RuntimeException e) {
            return driverThrew("queueRq", rq, gen, e);
        }
        if (st == BlkStatus.OK || mode == Ownership.OFF) {
            return st;
        }
        if (!checked) {
            return takeBack(rq, gen, st);
        }
        boolean busy = st == BlkStatus.RESOURCE || st == BlkStatus.DEV_RESOURCE;
        if (revoke(rq, gen, busy)) {
            return st; // blockcore retries it (busy) or ends it with st
        }
        violation(rq.disk(), Violation.STATUS_AFTER_END);
        return BlkStatus.OK; // the driver already gave it away: nothing for the core to do
    }

    /**
     * queueRq returned {@code st} (not OK) in REFCOUNT, HPREF or OWNED: the core will retry or end
     * the request (REFCOUNT's token is taken back; HPREF's end is the core's put; OWNED's handle is
     * the driver's to drop); if the driver had already given it away, that is a violation and the
     * core has nothing to do.
     */
    private BlkStatus takeBack(Request rq, long gen, BlkStatus st) {
        // Only primitives here (not the handle), so the handle still does not escape queueRq.
        long word = RequestWord.lvWord(rq);
        boolean live = RequestState.generation(word) == gen && RequestState.state(word) == RequestState.IN_FLIGHT;
        boolean mine = mode == Ownership.REFCOUNT ? RefcountWord.revoke(wrapper(rq))
                : mode == Ownership.HPREF ? live && jblk.blockcore.spi.RequestRefs.lvRef(rq) == 1 : live;
        if (mine) {
            return st;
        }
        violation(rq.disk(), Violation.STATUS_AFTER_END);
        return BlkStatus.OK;
    }

    /** A driver callback threw: end its request with IOERR if it is still this issue's, once. */
    private BlkStatus driverThrew(String where, Request rq, long gen, RuntimeException e) {
        violation(rq.disk(), Violation.EXCEPTION);
        if (mode == Ownership.OFF) {
            throw e; // mode OFF: blockcore's C-style handling decides, and logs it (once)
        }
        SafetyLog.LOG.log(System.Logger.Level.ERROR, "driver threw from " + where + " for tag " + rq.tag()
                + " gen " + gen + " of " + rq.disk() + ": " + e, e);
        if (!checked) {
            return takeBack(rq, gen, BlkStatus.IOERR);
        }
        return revoke(rq, gen, false) ? BlkStatus.IOERR : BlkStatus.OK;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void queueRqs(RequestList rqs) {
        Request first = rqs.peek();
        if (first == null) {
            return;
        }
        RqList<T> list = rqLists.get().reset(rqs);
        try {
            ops.queueRqs((H) first.hctx().driverData(), list);
        } catch (RuntimeException e) {
            SafetyLog.LOG.log(System.Logger.Level.ERROR, "driver threw from queueRqs: " + e, e);
            violation(first.disk(), Violation.EXCEPTION);
            list.failTaken(e);
        } finally {
            list.finish();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void commitRqs(HwQueue hctx) {
        ops.commitRqs((H) hctx.driverData());
    }

    @Override
    public void complete(Request rq) {
        RequestData<T> w = wrapper(rq);
        RequestRef<T> h;
        if (checked) {
            // The request's word says which issue is completing (COMPLETE, or a fired timer's
            // PENDING). The callback gets a fresh COMPLETION handle: the driver's own handle was
            // given away by complete() (moved, in Rust terms) and keeps being refused.
            long g = timerFired(rq);
            if (g < 0) {
                SafetyLog.LOG.log(System.Logger.Level.ERROR, "complete callback for a request not completing: " + rq);
                return;
            }
            h = newRef(rq, w, g, OwnershipWord.COMPLETION);
        } else {
            h = completionRef(rq, w);
            if (h == null) {
                SafetyLog.LOG.log(System.Logger.Level.ERROR, "complete callback for a request not completing: " + rq);
                return;
            }
        }
        long gen = h.generation();
        try {
            ops.complete(h);
        } catch (RuntimeException e) {
            // Only primitives here, as in queueRq: the handle must not escape this method.
            violation(rq.disk(), Violation.EXCEPTION);
            if (!checked) {
                throw e; // blockcore logs it and ends the request (C semantics)
            }
            SafetyLog.LOG.log(System.Logger.Level.ERROR, "driver threw from complete for tag " + rq.tag() + " gen "
                    + gen + " of " + rq.disk() + ": " + e, e);
            forceEnd(rq, gen, BlkStatus.IOERR, OwnershipWord.FAIL_COMPLETION);
        }
    }

    /**
     * The complete callback's handle in the strategies without the state word: OFF and REFCOUNT the
     * tag's handle (REFCOUNT's {@code aref_from_raw}: the count is still 2), HPREF a completion
     * handle of the issue in the word, OWNED a new {@code Owned} (the context owns it uniquely).
     */
    private RequestRef<T> completionRef(Request rq, RequestData<T> w) {
        switch (mode) {
            case REFCOUNT:
                return w.refcountRef;
            case HPREF:
            case OWNED: {
                long word = RequestWord.laWord(rq);
                if (!RequestState.allocated(word) || RequestState.state(word) == RequestState.IDLE) {
                    return null;
                }
                long g = RequestState.generation(word);
                return mode == Ownership.HPREF ? new HprefRequestRef<>(rq, w, g, OwnershipWord.COMPLETION, -1)
                        : new OwnedRequestRef<>(rq, w, g, OwnedRequestRef.OWNED);
            }
            default:
                return w.offRef;
        }
    }

    /**
     * The generation of the issue that is completing, or -1: a timer armed by completeAfter fired
     * (DELIVER moves it from the timer to the completion phase), or complete() moved it already.
     */
    private static long timerFired(Request rq) {
        long from = OwnershipWord.apply(rq, OwnershipWord.DELIVER, -1, OwnershipWord.BINDING);
        return OwnershipWord.refused(from) ? -1 : RequestState.generation(from);
    }

    @Override
    public EhTimerReturn timeout(Request rq) {
        RequestData<T> w = wrapper(rq);
        RequestRef<T> h;
        if (checked) {
            long word = RequestWord.lvWord(rq);
            long gen = RequestState.generation(word);
            if (OwnershipWord.refused(OwnershipWord.next(word, OwnershipWord.ACCESS, gen, OwnershipWord.TIMEOUT))) {
                return EhTimerReturn.DONE; // a completion won the race
            }
            h = newRef(rq, w, gen, OwnershipWord.TIMEOUT);
        } else if (mode != Ownership.OFF) {
            return timeoutOther(rq, w);
        } else {
            h = w.offRef;
        }
        try {
            return ops.timeout(h);
        } catch (RuntimeException e) {
            violation(rq.disk(), Violation.EXCEPTION);
            if (!checked) {
                throw e; // blockcore logs it and re-arms the timer (C semantics)
            }
            SafetyLog.LOG.log(System.Logger.Level.ERROR, "driver threw from timeout for " + h + ": " + e, e);
            forceEnd(rq, h.generation(), BlkStatus.IOERR, OwnershipWord.REVOKE);
            return EhTimerReturn.DONE;
        }
    }

    /**
     * The timeout callback in REFCOUNT, HPREF and OWNED. REFCOUNT and OWNED take a reference the way
     * rnull's timeout does ({@code tag_to_rq}: +1 unless the count says the driver cannot be
     * referenced) and drop it afterwards unless an end consumed it; the scanner's own reference
     * ({@code rq->ref}) keeps the tag from reuse meanwhile. HPREF's scanner pinned the request with
     * a hazard pointer; the handler's end is the CAS of {@code rq->ref}. A driver exception is
     * handled by blockcore (C semantics: logged, the timer re-armed).
     */
    private EhTimerReturn timeoutOther(Request rq, RequestData<T> w) {
        long gen = RequestState.generation(RequestWord.laWord(rq));
        switch (mode) {
            case REFCOUNT:
                if (!RefcountWord.incNotZero(w)) {
                    return EhTimerReturn.DONE; // ended meanwhile
                }
                try {
                    return callTimeout(w.refcountRef);
                } finally {
                    RefcountWord.decNotZero(w); // the handler's ARef, unless its end took the count to 0
                }
            case OWNED: {
                boolean shared = RefcountWord.lookupShared(w);
                OwnedRequestRef<T> h = new OwnedRequestRef<>(rq, w, gen,
                        shared ? OwnedRequestRef.SHARED : OwnedRequestRef.BORROW);
                try {
                    return callTimeout(h);
                } finally {
                    if (shared && !h.isGone()) {
                        RefcountWord.decNotZero(w);
                    }
                }
            }
            default:
                return callTimeout(new HprefRequestRef<>(rq, w, gen, OwnershipWord.TIMEOUT, -1));
        }
    }

    private EhTimerReturn callTimeout(RequestRef<T> h) {
        try {
            return ops.timeout(h);
        } catch (RuntimeException e) {
            violation(h.rq.disk(), Violation.EXCEPTION);
            throw e;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public int poll(HwQueue hctx) {
        return ops.poll((H) hctx.driverData());
    }

    @Override
    public String showRq(Request rq) {
        RequestData<T> w = wrapper(rq);
        DebugRecord rec = w.debug;
        return "ownership=" + mode + (rec != null && rec.gen == RequestState.generation(RequestWord.laWord(rq))
                ? " issued_on=" + rec.issued.getMessage() : "");
    }

    /**
     * {@code TagSet::tag_to_rq}: a new reference while the driver owns the request (or, in the
     * completion phase, when the completion's handle was dropped without ending it); null otherwise.
     */
    RequestRef<T> tagToRq(Request rq) {
        RequestData<T> w = wrapper(rq);
        if (!checked) {
            return tagToRqOther(rq, w);
        }
        long from = OwnershipWord.apply(rq, OwnershipWord.LOOKUP, -1, OwnershipWord.BINDING);
        if (OwnershipWord.refused(from)) {
            return null;
        }
        return newRef(rq, w, RequestState.generation(from), OwnershipWord.lookupRole(from));
    }

    /**
     * {@link #tagToRq} without the state word. OFF: the tag's handle while in flight (C). REFCOUNT:
     * {@code inc_ref} unless 0. HPREF: a hazard pointer, published then validated (in flight, this
     * generation), released by the handle's end or release. OWNED: a shared handle while no
     * {@code Owned} exists (rnull's tag_to_rq would spin there; jblk answers null).
     */
    private RequestRef<T> tagToRqOther(Request rq, RequestData<T> w) {
        switch (mode) {
            case REFCOUNT:
                return RefcountWord.incNotZero(w) ? w.refcountRef : null;
            case HPREF: {
                jblk.blockcore.HazardPointers hp = jblk.blockcore.spi.RequestRefs.hazards(rq);
                int slot = hp.protect(rq);
                if (slot < 0) {
                    return null;
                }
                long word = RequestWord.laWord(rq);
                if (RequestState.state(word) != RequestState.IN_FLIGHT || !RequestState.allocated(word)) {
                    hp.release(slot);
                    return null;
                }
                return new HprefRequestRef<>(rq, w, RequestState.generation(word), OwnershipWord.OWNER, slot);
            }
            case OWNED:
                return RefcountWord.lookupShared(w) ? new OwnedRequestRef<>(rq, w,
                        RequestState.generation(RequestWord.laWord(rq)), OwnedRequestRef.SHARED) : null;
            default:
                return RequestState.state(RequestWord.laWord(rq)) == RequestState.IN_FLIGHT ? w.offRef : null;
        }
    }

    /** Counts a refusal by a handle of REFCOUNT, HPREF or OWNED against the request's disk. */
    EndOutcome refused(Request rq, EndOutcome o, String what) {
        violation(rq.disk(), Violation.of(o));
        return o;
    }

    /**
     * Close, REFCOUNT, HPREF and OWNED: ends a request the driver never ended with IOERR, taking its
     * token so that a late end through the driver's handle is refused. False if it was not the
     * driver's any more.
     */
    boolean endLeaked(Request rq) {
        long word = RequestWord.lvWord(rq);
        if (!RequestState.allocated(word) || RequestState.state(word) == RequestState.IDLE) {
            return false;
        }
        switch (mode) {
            case REFCOUNT:
                if (!RefcountWord.revoke(wrapper(rq))) {
                    return false;
                }
                jblk.blockcore.BlkMq.endRequest(rq, BlkStatus.IOERR);
                return true;
            case HPREF:
                if (!jblk.blockcore.spi.RequestRefs.casRef(rq, 1, 0)) {
                    return false;
                }
                jblk.blockcore.spi.RequestRefs.endRequestPutDone(rq, BlkStatus.IOERR);
                return true;
            default: // OWNED: the Owned's holder is the only other party; the word going IDLE refuses it
                jblk.blockcore.BlkMq.endRequest(rq, BlkStatus.IOERR);
                return true;
        }
    }
}
