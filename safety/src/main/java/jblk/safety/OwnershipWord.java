package jblk.safety;

import jblk.blockcore.spi.RequestWord;
import static jblk.blockcore.RequestState.ALLOCATED;
import static jblk.blockcore.RequestState.COMPLETE;
import static jblk.blockcore.RequestState.GEN_MASK;
import static jblk.blockcore.RequestState.IN_FLIGHT;
import static jblk.blockcore.spi.RequestWord.PENDING;
import static jblk.blockcore.spi.RequestWord.REFS_MASK;
import static jblk.blockcore.spi.RequestWord.REFS_ONE;
import static jblk.blockcore.spi.RequestWord.REFS_SHIFT;
import static jblk.blockcore.RequestState.STATE_MASK;
import static jblk.blockcore.RequestState.TIMED_OUT;

import jblk.blockcore.Request;
import jblk.blockcore.RequestState;

/**
 * The ownership state machine of a request, in one place, as the Rust binding keeps it in
 * {@code request.rs} ({@code try_set_end}, {@code inc_ref}/{@code dec_ref}): a pure next-state
 * function {@link #next} over the request's one state word, and the one CAS loop {@link #apply}
 * every caller goes through. No other code computes the word's next state on behalf of a handle.
 *
 * <h2>The word</h2>
 * blockcore's layout ({@link RequestState}): {@code generation | refs | PENDING | ALLOCATED |
 * TIMED_OUT | state}. The binding reads it as, for one generation (one issue of the tag):
 * <ul>
 *   <li><b>gone</b>: another generation (the tag was requeued or reused) — every handle of this
 *       issue is stale;</li>
 *   <li><b>idle</b>: not allocated, or allocated and IDLE (ended, or not yet started);</li>
 *   <li><b>driver</b>: IN_FLIGHT without PENDING — the driver owns it (queueRq's handle, its shares,
 *       tagToRq lookups);</li>
 *   <li><b>timer</b>: IN_FLIGHT with PENDING — given to the timer context by completeAfter;</li>
 *   <li><b>completion</b>: COMPLETE — given to the completion context; the complete callback's
 *       handle owns it.</li>
 * </ul>
 * {@code refs} counts the live handles of the current phase only: a phase change sets it (1 for
 * the context that takes the request over), so a handle of an earlier phase can neither end the
 * request nor hold it back (its release does nothing). That is what keeps every state endable.
 *
 * <h2>Roles</h2>
 * OWNER (queueRq's handle, its shares, a lookup in the driver phase), COMPLETION (the complete
 * callback's handle, its shares, a lookup that recovers a dropped completion), TIMEOUT (the
 * timeout handler's borrow: no reference, valid while its expiry is being handled, i.e. TIMED_OUT
 * is set), BINDING (the adapter itself: issue, timer delivery, cleanup after a driver error,
 * close).
 *
 * <h2>Transition table</h2>
 * Rows: operation (role). Columns: the phase of the handle's generation. Entries: the next word
 * ({@code base} = same generation, ALLOCATED, IDLE, refs 0), or the refusal. "gone" refuses every
 * operation with STALE except RELEASE (nothing to give back: no change) and LOOKUP/DELIVER (they
 * take the current generation).
 * <pre>
 * operation (role)           | idle          | driver                       | timer                  | completion
 * ---------------------------+---------------+------------------------------+------------------------+-----------------
 * ISSUE (binding)            | refs=1        | -                            | -                      | -
 * END (owner)                | ALREADY_ENDED | refs&lt;=1: base; else SHARED   | ALREADY_ENDED          | ALREADY_ENDED
 * END (completion)           | ALREADY_ENDED | ALREADY_ENDED                | ALREADY_ENDED          | refs&lt;=1:
 * base; else SHARED
 * END (timeout)              | ALREADY_ENDED | TIMED_OUT: base; else STALE  | ALREADY_ENDED          | ALREADY_ENDED
 * COMPLETE (owner)           | ALREADY_ENDED | refs&lt;=1: COMPLETE refs=1      | ALREADY_ENDED          |
 * ALREADY_ENDED
 * COMPLETE (timeout)         | ALREADY_ENDED | TIMED_OUT: COMPLETE refs=1   | ALREADY_ENDED          | ALREADY_ENDED
 * ARM_TIMER (owner, timeout) | ALREADY_ENDED | as COMPLETE, to timer refs=1 | ALREADY_ENDED          | ALREADY_ENDED
 * REQUEUE (owner)            | ALREADY_ENDED | refs&lt;=1: next gen, IDLE      | ALREADY_ENDED          | ALREADY_ENDED
 * REQUEUE (completion)       | ALREADY_ENDED | ALREADY_ENDED                | ALREADY_ENDED          | refs&lt;=1:
 * next gen, IDLE
 * REQUEUE (timeout, binding) | ALREADY_ENDED | next gen, IDLE (any refs)    | ALREADY_ENDED          | ALREADY_ENDED
 * SHARE (owner, timeout)     | ALREADY_ENDED | refs+1 (max: SHARED)         | ALREADY_ENDED          | ALREADY_ENDED
 * SHARE (completion)         | ALREADY_ENDED | ALREADY_ENDED                | ALREADY_ENDED          | refs+1 (max:
 * SHARED)
 * RELEASE (owner)            | no change     | refs-1                       | no change              | no change
 * RELEASE (completion)       | no change     | no change                    | no change              | refs-1
 * ACCESS (any: buffer, ...)  | ALREADY_ENDED | owner, timeout: ok           | timeout: ok            | completion: ok
 * LOOKUP (tagToRq)           | NOT_OWNED     | refs+1 as owner              | NOT_OWNED              | refs==0: refs=1
 * as completion; else NOT_OWNED
 * DELIVER (binding)          | NOT_OWNED     | NOT_OWNED                    | COMPLETE refs=1        | no change
 * REVOKE (binding)           | ALREADY_ENDED | base (any refs)              | ALREADY_ENDED          | ALREADY_ENDED
 * REVOKE_BUSY (binding)      | ALREADY_ENDED | next gen, IDLE (any refs)    | ALREADY_ENDED          | ALREADY_ENDED
 * FAIL_COMPLETION (binding)  | ALREADY_ENDED | ALREADY_ENDED                | ALREADY_ENDED          | base (any refs)
 * CLOSE (binding)            | ALREADY_ENDED | base (any refs)              | base                   | base
 * </pre>
 * A role not listed for an operation is refused ALREADY_ENDED in every phase. A TIMEOUT borrow
 * whose expiry is over (TIMED_OUT cleared by RESET_TIMER) is refused STALE in the driver phase.
 * Operations that end the request ({@code base}) are followed by blockcore's {@code endRequest};
 * COMPLETE by the completion context, ARM_TIMER by the timer, REQUEUE by the requeue list.
 *
 * <h2>Invariants (checked by OwnershipSequenceTest, the Lincheck test and the jcstress tests)</h2>
 * <ol>
 *   <li>I1: a bio completes at most once, and exactly once once an end, complete or timeout
 *       decision won.</li>
 *   <li>I2: a refused operation leaves the word (and so the request) exactly as it was.</li>
 *   <li>I3: no trap state: from every reachable state the live handles' legal calls (end, release
 *       then end through the other reference, a lookup), the timeout or close end the request.</li>
 *   <li>I4: a stale handle never reaches the tag's next request.</li>
 * </ol>
 */
final class OwnershipWord {
    // ---- operations ---------------------------------------------------------------------------
    static final int ISSUE = 0;
    static final int END = 1;
    static final int COMPLETE_OP = 2;
    static final int ARM_TIMER = 3;
    static final int REQUEUE = 4;
    static final int SHARE = 5;
    static final int RELEASE = 6;
    static final int ACCESS = 7;
    static final int LOOKUP = 8;
    static final int DELIVER = 9;
    static final int REVOKE = 10;
    static final int REVOKE_BUSY = 11;
    static final int FAIL_COMPLETION = 12;
    static final int CLOSE = 13;
    static final int NR_OPS = 14;

    // ---- roles --------------------------------------------------------------------------------
    static final int OWNER = 0;
    static final int COMPLETION = 1;
    static final int TIMEOUT = 2;
    static final int BINDING = 3;

    // ---- phases (of the handle's generation) ---------------------------------------------------
    static final int P_GONE = 0;
    static final int P_IDLE = 1;
    static final int P_DRIVER = 2;
    static final int P_TIMER = 3;
    static final int P_COMPLETION = 4;

    // ---- refusals: state bits all ones, which no word has (states are 0..2) ---------------------
    static final long R_STALE = refusal(1);
    static final long R_ALREADY_ENDED = refusal(2);
    static final long R_SHARED = refusal(3);
    static final long R_OVERFLOW = refusal(4);
    static final long R_NOT_OWNED = refusal(5);

    private static final long MAX_REFS = (long) RequestWord.MAX_REFS << REFS_SHIFT;

    private OwnershipWord() {
    }

    private static long refusal(int code) {
        return ((long) code << REFS_SHIFT) | STATE_MASK;
    }

    /** Whether a result of {@link #next} or {@link #apply} is a refusal (else it is a word). */
    static boolean refused(long r) {
        return (r & STATE_MASK) == STATE_MASK;
    }

    /** The {@link EndOutcome} a refusal reports to the driver (OVERFLOW counts as SHARED). */
    static EndOutcome outcome(long r) {
        if (r == R_STALE) {
            return EndOutcome.STALE;
        }
        if (r == R_SHARED || r == R_OVERFLOW) {
            return EndOutcome.SHARED;
        }
        return EndOutcome.ALREADY_ENDED;
    }

    /** The phase of generation {@code gen} in word {@code w}. */
    static int phase(long w, long gen) {
        if (RequestState.generation(w) != gen) {
            return P_GONE;
        }
        if ((w & ALLOCATED) == 0) {
            return P_IDLE;
        }
        long st = w & STATE_MASK;
        if (st == IN_FLIGHT) {
            return (w & PENDING) == 0 ? P_DRIVER : P_TIMER;
        }
        return st == COMPLETE ? P_COMPLETION : P_IDLE;
    }

    /** The role a lookup's handle gets from the word it moved from. */
    static int lookupRole(long from) {
        return (from & STATE_MASK) == COMPLETE ? COMPLETION : OWNER;
    }

    /**
     * The next word for {@code op} by a handle of generation {@code gen} in {@code role}, or a
     * refusal ({@link #refused}). Pure: the table in the class javadoc, nothing else.
     */
    static long next(long w, int op, long gen, int role) {
        if (op == LOOKUP || op == DELIVER) {
            gen = RequestState.generation(w); // they act on whatever issue holds the tag now
        }
        int phase = phase(w, gen);
        if (phase == P_GONE) {
            return op == RELEASE ? w : R_STALE;
        }
        // One small method per operation: this dispatcher stays under C2's FreqInlineSize (325
        // bytecodes), so at a call site with a constant op it folds to the one case and that
        // case inlines. As one 700-byte switch, next() was a real call on every end (~3 ns).
        switch (op) {
            case ISSUE: return issueNext(w, phase);
            case END: return endNext(w, phase, role);
            case COMPLETE_OP: return completeNext(w, phase, role);
            case ARM_TIMER: return armTimerNext(w, phase, role);
            case REQUEUE: return requeueNext(w, phase, role);
            case SHARE: return shareNext(w, phase, role);
            case RELEASE: return releaseNext(w, phase, role);
            case ACCESS: return accessNext(w, phase, role);
            case LOOKUP: return lookupNext(w, phase);
            case DELIVER: return deliverNext(w, phase);
            case REVOKE: return phase == P_DRIVER ? base(w) : R_ALREADY_ENDED;
            case REVOKE_BUSY: return phase == P_DRIVER ? RequestState.nextGeneration(w) : R_ALREADY_ENDED;
            case FAIL_COMPLETION: return phase == P_COMPLETION ? base(w) : R_ALREADY_ENDED;
            case CLOSE: return phase != P_IDLE ? base(w) : R_ALREADY_ENDED; // driver, timer, completion
            default: throw noSuchOperation(op);
        }
    }

    private static IllegalArgumentException noSuchOperation(int op) {
        return new IllegalArgumentException("no such ownership operation: " + op + " (allowed 0.." + (NR_OPS - 1)
                + ")");
    }

    /** The generation and ALLOCATED of {@code w}: an owned request with no state and no references. */
    private static long base(long w) {
        return (w & GEN_MASK) | ALLOCATED;
    }

    private static long issueNext(long w, int phase) {
        return phase == P_IDLE && (w & ALLOCATED) != 0 && (w & REFS_MASK) == 0 ? w | REFS_ONE : R_ALREADY_ENDED;
    }

    private static long endNext(long w, int phase, int role) {
        long may = mayAct(w, phase, role);
        return may == 0 ? exclusive(w, role, base(w)) : may;
    }

    private static long completeNext(long w, int phase, int role) {
        if (role == COMPLETION || role == BINDING) {
            return R_ALREADY_ENDED;
        }
        long may = mayAct(w, phase, role);
        return may == 0 ? exclusive(w, role, base(w) | COMPLETE | REFS_ONE) : may;
    }

    private static long armTimerNext(long w, int phase, int role) {
        if (role == COMPLETION || role == BINDING) {
            return R_ALREADY_ENDED;
        }
        long may = mayAct(w, phase, role);
        return may == 0 ? exclusive(w, role, base(w) | (w & TIMED_OUT) | PENDING | REFS_ONE | IN_FLIGHT) : may;
    }

    private static long requeueNext(long w, int phase, int role) {
        long nextGen = RequestState.nextGeneration(w);
        if (role == BINDING) {
            return phase == P_DRIVER ? nextGen : R_ALREADY_ENDED;
        }
        long may = mayAct(w, phase, role);
        return may == 0 ? exclusive(w, role, nextGen) : may;
    }

    private static long shareNext(long w, int phase, int role) {
        if (role == BINDING) {
            return R_ALREADY_ENDED;
        }
        long may = mayAct(w, phase, role);
        if (may != 0) {
            return may;
        }
        return (w & REFS_MASK) == MAX_REFS ? R_OVERFLOW : w + REFS_ONE;
    }

    private static long releaseNext(long w, int phase, int role) {
        return (w & REFS_MASK) != 0 && ((role == OWNER && phase == P_DRIVER)
                || (role == COMPLETION && phase == P_COMPLETION)) ? w - REFS_ONE : w;
    }

    private static long accessNext(long w, int phase, int role) {
        if (role == TIMEOUT && phase == P_TIMER) {
            // The timeout handler runs for a request on its timer too (null_timeout_rq
            // marks the command); it may look, the timer still ends it.
            return (w & TIMED_OUT) != 0 ? w : R_STALE;
        }
        long may = mayAct(w, phase, role);
        return may == 0 ? w : may;
    }

    private static long lookupNext(long w, int phase) {
        long refs = w & REFS_MASK;
        if (phase == P_DRIVER) {
            return refs == MAX_REFS ? R_OVERFLOW : w + REFS_ONE;
        }
        return phase == P_COMPLETION && refs == 0 ? w + REFS_ONE : R_NOT_OWNED;
    }

    private static long deliverNext(long w, int phase) {
        if (phase == P_TIMER) {
            return base(w) | COMPLETE | REFS_ONE;
        }
        return phase == P_COMPLETION ? w : R_NOT_OWNED;
    }

    /**
     * 0 if a handle in {@code role} may act on the request in {@code phase}, else the refusal: the
     * owner and the timeout borrow act in the driver phase (the borrow only while its expiry is
     * being handled), the completion handle in the completion phase.
     */
    private static long mayAct(long w, int phase, int role) {
        switch (role) {
            case OWNER:
                return phase == P_DRIVER ? 0 : R_ALREADY_ENDED;
            case COMPLETION:
                return phase == P_COMPLETION ? 0 : R_ALREADY_ENDED;
            case TIMEOUT:
                if (phase != P_DRIVER) {
                    return R_ALREADY_ENDED;
                }
                return (w & TIMED_OUT) != 0 ? 0 : R_STALE;
            default:
                return R_ALREADY_ENDED;
        }
    }

    /** {@code next} if this handle is the only reference (the Rust CAS 2 -> 0); a borrow needs none. */
    private static long exclusive(long w, int role, long next) {
        return role != TIMEOUT && (w & REFS_MASK) > REFS_ONE ? R_SHARED : next;
    }

    /**
     * The one CAS loop: moves {@code rq}'s word by {@code op}. Returns the word it moved from (or
     * found, when the operation changes nothing), or the refusal; a refusal changed nothing (I2).
     */
    static long apply(Request rq, int op, long gen, int role) {
        long w = RequestWord.lvWord(rq);
        while (true) {
            long n = next(w, op, gen, role);
            if (refused(n)) {
                return n;
            }
            if (n == w || RequestWord.casWord(rq, w, n)) {
                return w;
            }
            w = RequestWord.lvWord(rq);
        }
    }

    /**
     * ISSUE: queueRq hands a fresh request to the driver (refs 0 -> 1; blockcore's startRequest
     * then makes it IN_FLIGHT). A release store, not a CAS: nobody else can hold a handle of a
     * generation that was never issued. Returns the generation.
     */
    static long issue(Request rq) {
        long w = RequestWord.laWord(rq);
        long n = next(w, ISSUE, RequestState.generation(w), BINDING);
        assert !refused(n) : "issue of a request that is not allocated and idle: " + RequestState.toString(w);
        RequestWord.soWord(rq, n);
        return RequestState.generation(w);
    }

    static String opName(int op) {
        switch (op) {
            case ISSUE: return "issue";
            case END: return "end";
            case COMPLETE_OP: return "complete";
            case ARM_TIMER: return "completeAfter";
            case REQUEUE: return "requeue";
            case SHARE: return "share";
            case RELEASE: return "release";
            case ACCESS: return "access";
            case LOOKUP: return "tagToRq";
            case DELIVER: return "deliver";
            case REVOKE: return "revoke";
            case REVOKE_BUSY: return "revokeBusy";
            case FAIL_COMPLETION: return "failCompletion";
            case CLOSE: return "close";
            default: return "op" + op;
        }
    }

    static String roleName(int role) {
        switch (role) {
            case OWNER: return "owner";
            case COMPLETION: return "completion";
            case TIMEOUT: return "timeout";
            case BINDING: return "binding";
            default: return "role" + role;
        }
    }
}
