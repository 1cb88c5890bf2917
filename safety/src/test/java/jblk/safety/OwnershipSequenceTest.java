package jblk.safety;

import jblk.blockcore.spi.RequestWord;
import static jblk.safety.OwnershipWord.ACCESS;
import static jblk.safety.OwnershipWord.ARM_TIMER;
import static jblk.safety.OwnershipWord.BINDING;
import static jblk.safety.OwnershipWord.CLOSE;
import static jblk.safety.OwnershipWord.COMPLETE_OP;
import static jblk.safety.OwnershipWord.COMPLETION;
import static jblk.safety.OwnershipWord.DELIVER;
import static jblk.safety.OwnershipWord.END;
import static jblk.safety.OwnershipWord.FAIL_COMPLETION;
import static jblk.safety.OwnershipWord.ISSUE;
import static jblk.safety.OwnershipWord.LOOKUP;
import static jblk.safety.OwnershipWord.OWNER;
import static jblk.safety.OwnershipWord.RELEASE;
import static jblk.safety.OwnershipWord.REQUEUE;
import static jblk.safety.OwnershipWord.REVOKE;
import static jblk.safety.OwnershipWord.REVOKE_BUSY;
import static jblk.safety.OwnershipWord.SHARE;
import static jblk.safety.OwnershipWord.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;
import jblk.safety.SafetyTestSupport.Env;
import jblk.safety.SafetyTestSupport.TestDriver;
import org.junit.jupiter.api.Test;

/**
 * The exhaustive sequential check of the ownership state machine: every sequence of up to
 * {@value #DEPTH} operations after a request is issued — end, complete, completeAfter, requeue,
 * share, release, buffer access through every handle that exists at that point (live, released,
 * stale, borrowed), tagToRq, the completion context delivering (the complete callback's handle),
 * the callback throwing, the timeout firing and re-arming, queueRq returning OK / busy / an error,
 * the requeued request dispatched again, the tag's reuse by the next I/O, and disk close — with the
 * invariants of {@link OwnershipWord} checked after each step:
 * <ul>
 *   <li>I1: a bio completes at most once, and at once when an end decision won;</li>
 *   <li>I2: a refused operation leaves the word as it was (checked on a real {@link Request} driven
 *       through the real CAS loop {@link OwnershipWord#apply}, whose result must equal the pure
 *       {@link OwnershipWord#next});</li>
 *   <li>I3: no trap: from every reached state in which the driver was given the request, the live
 *       handles' legal calls, a lookup, the completion context or the timeout can end it (a search
 *       without close);</li>
 *   <li>I4: an operation through a stale handle (its generation is not the tag's) is refused, or
 *       is a release that changes nothing.</li>
 * </ul>
 * blockcore's side (endRequest freeing the tag, the next I/O's new generation, startRequest) is
 * modelled with blockcore's own formulas ({@link RequestState}). Sequences that reach the same
 * state are counted once each but explored once (dynamic programming over states), so every
 * sequence is covered in seconds.
 */
class OwnershipSequenceTest {
    static final int DEPTH = 7;

    // moves that are not an operation through a handle
    static final int M_LOOKUP = 100;
    static final int M_DELIVER = 101;
    static final int M_CALLBACK_THROWS = 102;
    static final int M_TIMEOUT = 103;
    static final int M_RESET_TIMER = 104;
    static final int M_QRQ_OK = 105;
    static final int M_QRQ_BUSY = 106;
    static final int M_QRQ_ERROR = 107;
    static final int M_NEXT_IO = 108;
    static final int M_DISPATCH = 109;
    static final int M_CLOSE = 110;
    static final int[] HANDLE_OPS = {END, COMPLETE_OP, ARM_TIMER, REQUEUE, SHARE, RELEASE, ACCESS};
    static final int[] OTHER = {M_LOOKUP, M_DELIVER, M_CALLBACK_THROWS, M_TIMEOUT, M_RESET_TIMER, M_QRQ_OK,
        M_QRQ_BUSY, M_QRQ_ERROR, M_NEXT_IO, M_DISPATCH, M_CLOSE};

    /** The request, its bios and every handle the driver was ever given. Copied per step. */
    static final class Model {
        long word;
        boolean closed;
        boolean queued;          // on the requeue list / dispatch list, not issued
        boolean inQueueRq;       // queueRq of the latest issue has not returned
        long issueGen = -1;
        boolean deliveryPending; // completion context or timer holds it, callback not run yet
        boolean inCallback;
        long callbackGen = -1;
        int bio = -1;            // the bio on the tag (-1: none)
        int[] completions = new int[0];
        long[] hGen = new long[0];
        int[] hRole = new int[0];
        boolean[] hReleased = new boolean[0];

        Model copy() {
            Model m = new Model();
            m.word = word;
            m.closed = closed;
            m.queued = queued;
            m.inQueueRq = inQueueRq;
            m.issueGen = issueGen;
            m.deliveryPending = deliveryPending;
            m.inCallback = inCallback;
            m.callbackGen = callbackGen;
            m.bio = bio;
            m.completions = completions.clone();
            m.hGen = hGen.clone();
            m.hRole = hRole.clone();
            m.hReleased = hReleased.clone();
            return m;
        }

        int handles() {
            return hGen.length;
        }

        void addHandle(long gen, int role) {
            int n = hGen.length;
            hGen = Arrays.copyOf(hGen, n + 1);
            hRole = Arrays.copyOf(hRole, n + 1);
            hReleased = Arrays.copyOf(hReleased, n + 1);
            hGen[n] = gen;
            hRole[n] = role;
        }

        String key() {
            return word + "|" + closed + queued + inQueueRq + issueGen + deliveryPending + inCallback + callbackGen
                    + "|" + bio + Arrays.toString(completions) + Arrays.toString(hGen) + Arrays.toString(hRole)
                    + Arrays.toString(hReleased);
        }
    }

    private Request rq;
    private final Map<String, Long> memo = new HashMap<>();
    private final Map<String, Boolean> endable = new HashMap<>();
    private long transitions;
    private long refusals;
    private final Set<String> statesSeen = new HashSet<>();

    @Test
    void everySequenceOfUpTo7OperationsKeepsI1ToI4() throws Exception {
        try (Env env = Env.builder(new TestDriver()).depth(1).build()) {
            // A real request (its tag is never allocated here, so the disk's threads leave it alone).
            rq = env.set.raw().tags(0).tagToRq(0);
            Model m = new Model();
            m.word = 0; // free, generation 0
            m = step(m, M_NEXT_IO, -1, "issue");
            long sequences = explore(m, DEPTH) - 1; // minus the empty sequence
            System.out.printf("ownership state machine: %,d sequences of 1..%d operations from an issued request,"
                    + " %,d distinct states, %,d transitions checked (%,d refusals)%n", sequences, DEPTH,
                    statesSeen.size(), transitions, refusals);
            assertTrue(sequences > 1_000_000, "the check covered " + sequences + " sequences");
        }
    }

    /** Number of sequences of length 0..d from {@code m} (each checked); memoized by state. */
    private long explore(Model m, int d) {
        String key = m.key();
        statesSeen.add(key);
        checkNoTrap(m, key);
        if (d == 0) {
            return 1;
        }
        String mk = key + "#" + d;
        Long known = memo.get(mk);
        if (known != null) {
            return known;
        }
        long n = 1;
        for (int h = 0; h < m.handles(); h++) {
            for (int op : HANDLE_OPS) {
                Model next = step(m, op, h, null);
                n += explore(next, d - 1);
            }
        }
        for (int mv : OTHER) {
            if (applicable(m, mv)) {
                n += explore(step(m, mv, -1, null), d - 1);
            }
        }
        memo.put(mk, n);
        return n;
    }

    static boolean applicable(Model m, int mv) {
        long w = m.word;
        switch (mv) {
            case M_DELIVER:
                return m.deliveryPending;
            case M_CALLBACK_THROWS:
                return m.inCallback;
            case M_TIMEOUT:
                return !m.closed && RequestState.allocated(w) && RequestState.state(w) == RequestState.IN_FLIGHT
                        && !RequestState.timedOut(w);
            case M_RESET_TIMER:
                return RequestState.allocated(w) && RequestState.state(w) == RequestState.IN_FLIGHT
                        && RequestState.timedOut(w);
            case M_QRQ_OK:
            case M_QRQ_BUSY:
            case M_QRQ_ERROR:
                return m.inQueueRq;
            case M_NEXT_IO:
                return !m.closed && !RequestState.allocated(w);
            case M_DISPATCH:
                return !m.closed && m.queued;
            case M_CLOSE:
                return !m.closed;
            default:
                return true; // lookup: always callable
        }
    }

    /** The real CAS loop on the real request, checked against the pure function (I2). */
    private long apply(Model m, int op, long gen, int role) {
        transitions++;
        RequestWord.soWord(rq, m.word);
        long r = OwnershipWord.apply(rq, op, gen, role);
        long after = RequestWord.lvWord(rq);
        long expect = OwnershipWord.next(m.word, op, gen, role);
        if (OwnershipWord.refused(r)) {
            refusals++;
            assertEquals(m.word, after, "I2: refused " + OwnershipWord.opName(op) + " changed the word");
            assertEquals(expect, r, "apply and next disagree on the refusal");
        } else {
            assertEquals(m.word, r, "apply returns the word it moved from");
            assertEquals(expect, after, "apply's result is next's");
            m.word = after;
        }
        return r;
    }

    /** blockcore's endRequest after a won end: the bio completes (I1), the tag is freed. */
    private static void endRequest(Model m) {
        if (m.bio < 0) {
            fail("an end won with no bio on the tag");
        }
        m.completions[m.bio]++;
        if (m.completions[m.bio] != 1) {
            fail("I1: bio " + m.bio + " completed " + m.completions[m.bio] + " times");
        }
        m.word &= RequestState.GEN_MASK;
        m.bio = -1;
        m.inCallback = false;
        m.deliveryPending = false;
        m.inQueueRq = false;
    }

    /** queueRq for the request on the tag: ISSUE (refs 1), blockcore's startRequest, an owner handle. */
    private void issue(Model m) {
        RequestWord.soWord(rq, m.word);
        long gen = OwnershipWord.issue(rq);
        long w = RequestWord.lvWord(rq);
        m.word = (w & (RequestState.GEN_MASK | RequestWord.REFS_MASK)) | RequestState.ALLOCATED
                | RequestState.IN_FLIGHT;
        m.addHandle(gen, OWNER);
        m.inQueueRq = true;
        m.issueGen = gen;
        m.queued = false;
    }

    Model step(Model from, int mv, int h, String why) {
        Model m = from.copy();
        if (h >= 0) {
            handleOp(m, mv, h);
            return m;
        }
        long w = m.word;
        switch (mv) {
            case M_LOOKUP: {
                long r = apply(m, LOOKUP, -1, BINDING);
                if (!OwnershipWord.refused(r)) {
                    assertEquals(RequestState.generation(m.word), RequestState.generation(r),
                            "I4: a lookup's handle is of the tag's current issue");
                    m.addHandle(RequestState.generation(r), OwnershipWord.lookupRole(r));
                }
                break;
            }
            case M_DELIVER: {
                m.deliveryPending = false;
                long r = apply(m, DELIVER, -1, BINDING);
                if (!OwnershipWord.refused(r)) {
                    m.addHandle(RequestState.generation(r), COMPLETION);
                    m.inCallback = true;
                    m.callbackGen = RequestState.generation(r);
                }
                break;
            }
            case M_CALLBACK_THROWS:
                m.inCallback = false;
                if (!OwnershipWord.refused(apply(m, FAIL_COMPLETION, m.callbackGen, BINDING))) {
                    endRequest(m);
                }
                break;
            case M_TIMEOUT: {
                m.word = w | RequestState.TIMED_OUT; // the scanner's CAS (blockcore)
                long gen = RequestState.generation(m.word);
                if (!OwnershipWord.refused(OwnershipWord.next(m.word, ACCESS, gen, TIMEOUT))) {
                    m.addHandle(gen, TIMEOUT); // the handler's borrow
                }
                break;
            }
            case M_RESET_TIMER:
                m.word = w & ~RequestState.TIMED_OUT; // blk_add_timer after RESET_TIMER
                break;
            case M_QRQ_OK:
                m.inQueueRq = false;
                break;
            case M_QRQ_BUSY:
                m.inQueueRq = false;
                if (!OwnershipWord.refused(apply(m, REVOKE_BUSY, m.issueGen, BINDING))) {
                    m.queued = true;
                }
                break;
            case M_QRQ_ERROR:
                m.inQueueRq = false;
                if (!OwnershipWord.refused(apply(m, REVOKE, m.issueGen, BINDING))) {
                    endRequest(m);
                }
                break;
            case M_NEXT_IO: {
                m.word = RequestState.nextGeneration(w); // blk_mq_rq_ctx_init
                m.bio = m.completions.length;
                m.completions = Arrays.copyOf(m.completions, m.bio + 1);
                issue(m);
                break;
            }
            case M_DISPATCH:
                issue(m);
                break;
            case M_CLOSE:
                m.closed = true;
                if (!OwnershipWord.refused(apply(m, CLOSE, RequestState.generation(w), BINDING))) {
                    endRequest(m);
                }
                break;
            default:
                throw new IllegalArgumentException("move " + mv);
        }
        return m;
    }

    /** An operation through handle {@code h}, as CheckedRequestRef does it. */
    private void handleOp(Model m, int op, int h) {
        long gen = m.hGen[h];
        int role = m.hRole[h];
        boolean stale = gen != RequestState.generation(m.word);
        if (op == RELEASE) {
            if (role == TIMEOUT || m.hReleased[h]) {
                return; // a borrow holds nothing; a second release is refused (RELEASED) by the handle
            }
            m.hReleased[h] = true;
            long before = m.word;
            long r = apply(m, RELEASE, gen, role);
            assertTrue(!OwnershipWord.refused(r), "release is never refused by the word");
            if (stale) {
                assertEquals(before, m.word, "I4: a stale release changed the tag's next request");
            }
            return;
        }
        if (m.hReleased[h]) {
            return; // refused RELEASED by the handle, the word is not touched
        }
        long r = apply(m, op, gen, role);
        if (stale) {
            assertEquals(OwnershipWord.R_STALE, r, "I4: " + OwnershipWord.opName(op) + " through a stale "
                    + OwnershipWord.roleName(role) + " handle was not refused STALE");
        }
        if (OwnershipWord.refused(r)) {
            return;
        }
        switch (op) {
            case END:
                endRequest(m);
                break;
            case COMPLETE_OP:
            case ARM_TIMER:
                m.deliveryPending = true;
                m.inCallback = false;
                break;
            case REQUEUE:
                m.queued = true;
                m.inCallback = false;
                m.deliveryPending = false;
                break;
            case SHARE:
                m.addHandle(gen, role == TIMEOUT ? OWNER : role);
                break;
            default:
                break; // ACCESS
        }
    }

    /**
     * I3: if the driver was given the request (or it waits to be dispatched again on an open
     * disk), some sequence of cooperative moves — live handles ending or releasing, a lookup, the
     * completion context, the timeout, queueRq returning, the dispatch — completes its bio.
     */
    private void checkNoTrap(Model m, String key) {
        if (m.bio < 0 || m.completions[m.bio] > 0) {
            return;
        }
        int phase = OwnershipWord.phase(m.word, RequestState.generation(m.word));
        boolean given = phase == OwnershipWord.P_DRIVER || phase == OwnershipWord.P_TIMER
                || phase == OwnershipWord.P_COMPLETION || (m.queued && !m.closed);
        if (!given) {
            if (!m.closed && !m.inQueueRq) {
                fail("I3: bio " + m.bio + " is on the tag but neither live nor queued: "
                        + RequestState.toString(m.word));
            }
            return;
        }
        Boolean ok = endable.get(key);
        if (ok == null) {
            ok = searchEnd(m);
            endable.put(key, ok);
        }
        if (!ok) {
            fail("I3: trap state, nothing can end bio " + m.bio + ": " + RequestState.toString(m.word) + " handles "
                    + describe(m));
        }
    }

    private boolean searchEnd(Model start) {
        int target = start.bio;
        ArrayDeque<Model> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        queue.add(start);
        seen.add(start.key());
        long saved = transitions;
        long savedRefusals = refusals;
        try {
            while (!queue.isEmpty() && seen.size() < 5_000) {
                Model m = queue.poll();
                List<Model> next = new ArrayList<>();
                for (int h = 0; h < m.handles(); h++) {
                    if (!m.hReleased[h] && m.hGen[h] == RequestState.generation(m.word)) {
                        next.add(step(m, END, h, null));
                        next.add(step(m, RELEASE, h, null));
                    }
                }
                for (int mv : new int[] {M_LOOKUP, M_DELIVER, M_TIMEOUT, M_QRQ_OK, M_DISPATCH}) {
                    if (applicable(m, mv)) {
                        next.add(step(m, mv, -1, null));
                    }
                }
                for (Model n : next) {
                    if (n.completions[target] > 0) {
                        return true;
                    }
                    if (seen.add(n.key())) {
                        queue.add(n);
                    }
                }
            }
            return false;
        } finally {
            transitions = saved;
            refusals = savedRefusals;
        }
    }

    private static String describe(Model m) {
        StringBuilder sb = new StringBuilder();
        for (int h = 0; h < m.handles(); h++) {
            sb.append(OwnershipWord.roleName(m.hRole[h])).append("@").append(m.hGen[h])
                    .append(m.hReleased[h] ? "(released) " : " ");
        }
        return sb.toString();
    }

    /** The table has an entry for every operation, role and phase (no IllegalArgumentException, no gap). */
    @Test
    void nextIsTotalOverOperationsRolesAndPhases() {
        long gen = 5;
        long g = gen << RequestState.GEN_SHIFT;
        long[] words = {
            g, // free
            g | RequestState.ALLOCATED, // allocated idle
            g | RequestState.ALLOCATED | RequestState.IN_FLIGHT | RequestWord.REFS_ONE,
            g | RequestState.ALLOCATED | RequestState.IN_FLIGHT | RequestWord.REFS_ONE | RequestState.TIMED_OUT,
            g | RequestState.ALLOCATED | RequestState.IN_FLIGHT | RequestWord.PENDING | RequestWord.REFS_ONE,
            g | RequestState.ALLOCATED | RequestState.COMPLETE | RequestWord.REFS_ONE,
            g | RequestState.ALLOCATED | RequestState.COMPLETE,
            (gen + 1) << RequestState.GEN_SHIFT | RequestState.ALLOCATED | RequestState.IN_FLIGHT,
        };
        int cells = 0;
        for (long w : words) {
            for (int op = ISSUE; op < OwnershipWord.NR_OPS; op++) {
                for (int role = OWNER; role <= BINDING; role++) {
                    long r = OwnershipWord.next(w, op, gen, role);
                    assertEquals(r, OwnershipWord.next(w, op, gen, role), "pure");
                    if (!OwnershipWord.refused(r)) {
                        assertTrue(RequestState.state(r) <= RequestState.COMPLETE, "a word, not garbage: " + r);
                    }
                    cells++;
                }
            }
        }
        assertEquals(words.length * OwnershipWord.NR_OPS * 4, cells);
    }
}
