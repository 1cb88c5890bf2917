package jblk.blockcore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Models a request queue's rolling timeout timer, {@code q->timeout}, as block/blk-timeout.c arms
 * it ({@code blk_add_timer}) and {@code blk_mq_timeout_work} re-arms or stops it. jblk finds expired
 * requests by scanning (see {@link TimeoutScanner}); this timer decides only what the kernel's
 * decides besides: when a shared-tag queue counts as idle. A queue is idled when the timer fires
 * and finds nothing in flight, never on a momentary zero between two scans.
 *
 * <p>Arming: a started request asks for {@code min(deadline, now + BLK_MAX_TIMEOUT)} plus about a
 * second ({@code blk_round_jiffies}); the timer moves only when it is not pending or the new expiry
 * is at least half a second earlier, so a busy queue's starts nearly always just read it.
 */
final class TimeoutTimer {
    /** {@code BLK_MAX_TIMEOUT}: the timer never waits longer than this for a request's deadline. */
    static final long MAX_TIMEOUT_MS = 5_000;
    /** {@code blk_round_jiffies}: rounds up by {@code roundup_pow_of_two(HZ)} jiffies (1024 at HZ=1000). */
    static final long ROUND_MS = 1_024;
    /** The {@code HZ / 2} tolerance below which an earlier expiry does not move the timer. */
    static final long SLACK_MS = 500;
    /** Expiry value meaning "not pending". */
    static final long NOT_PENDING = Long.MIN_VALUE;

    private static final VarHandle EXPIRES;

    static {
        try {
            EXPIRES = MethodHandles.lookup().findVarHandle(TimeoutTimer.class, "expiresMs", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long expiresMs = NOT_PENDING;

    /** {@code blk_add_timer}'s timer half, for a request started at {@code nowMs} due at {@code deadlineMs}. */
    void add(long nowMs, long deadlineMs) {
        long expiry = Math.min(deadlineMs, nowMs + MAX_TIMEOUT_MS) + ROUND_MS;
        long cur = expiresMs;
        while (cur == NOT_PENDING || expiry - cur <= -SLACK_MS) {
            // mod_timer: a CAS, so a concurrent start or the timer work decides and we re-check.
            if (AtomicTally.tally(AtomicTally.TIMER, EXPIRES.compareAndSet(this, cur, expiry))) {
                return;
            }
            cur = expiresMs;
        }
    }

    boolean isPending() {
        return expiresMs != NOT_PENDING;
    }

    /** The expiry if the timer is pending and due at {@code nowMs}, else {@link #NOT_PENDING}. */
    long dueAt(long nowMs) {
        long e = expiresMs;
        return e != NOT_PENDING && nowMs - e >= 0 ? e : NOT_PENDING;
    }

    /**
     * The timer work's verdict on a firing seen at {@code firedAt}: re-arm for {@code nextMs}
     * (a pending request's deadline), or stop it ({@link #NOT_PENDING}: nothing was in flight).
     * False if a start moved the timer meanwhile; that start's request keeps the queue busy.
     */
    boolean rearm(long firedAt, long nextMs) {
        return AtomicTally.tally(AtomicTally.TIMER, EXPIRES.compareAndSet(this, firedAt, nextMs));
    }
}
