package jblk.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before the head, so the submitter's hot fields never share its cache line. */
abstract class CompletionStackPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The contended word: the index of the most recently pushed slot, or -1. */
abstract class CompletionStackHead extends CompletionStackPad0 {
    volatile int head = -1;
}

/** Padding after the head (128 bytes each side: the line and its prefetch pair). */
abstract class CompletionStackPad1 extends CompletionStackHead {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}

/**
 * A job's completed slots, handed from completion threads to its submitter: a lock-free
 * multi-producer stack of slot indices linked through a preallocated array (the kernel's
 * {@code llist}, as blk-mq's own completion lists). Push is one CAS; the single consumer takes
 * everything with one exchange, so there is no ABA and nothing is allocated. A slot is in the
 * stack at most once (it is in flight until the submitter takes it back).
 */
final class CompletionStack extends CompletionStackPad1 {
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(CompletionStackHead.class, "head", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** next[i]: the slot pushed before i, or -1. Written before the CAS that publishes i. */
    private final int[] next;

    CompletionStack(int capacity) {
        this.next = new int[capacity];
    }

    /** Any thread: slot {@code i} completed. */
    void push(int i) {
        int h;
        do {
            h = head;
            next[i] = h;
        } while (!HEAD.compareAndSet(this, h, i));
    }

    /** Whether anything is waiting (a volatile read; the consumer's cheap check before {@link #takeAll}). */
    boolean nonEmpty() {
        return head >= 0;
    }

    /** Consumer only: detaches every pushed slot; walk them with {@link #next}. Returns -1 when empty. */
    int takeAll() {
        return head < 0 ? -1 : (int) HEAD.getAndSet(this, -1);
    }

    /** The slot after {@code i} in a list returned by {@link #takeAll}, or -1. */
    int next(int i) {
        return next[i];
    }
}
