package jblk.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jblk.blockcore.CachelineGroup;
import jblk.blockcore.CachelinePad;

/** Before the head, so the submitter's hot fields never share its cache line. */
@CachelinePad
abstract class CompletionStackPad0 {
    byte b000, b001, b002, b003, b004, b005, b006, b007;
    byte b010, b011, b012, b013, b014, b015, b016, b017;
    byte b020, b021, b022, b023, b024, b025, b026, b027;
    byte b030, b031, b032, b033, b034, b035, b036, b037;
    byte b040, b041, b042, b043, b044, b045, b046, b047;
    byte b050, b051, b052, b053, b054, b055, b056, b057;
    byte b060, b061, b062, b063, b064, b065, b066, b067;
    byte b070, b071, b072, b073, b074, b075, b076, b077;
    byte b080, b081, b082, b083, b084, b085, b086, b087;
    byte b090, b091, b092, b093, b094, b095, b096, b097;
    byte b100, b101, b102, b103, b104, b105, b106, b107;
    byte b110, b111, b112, b113, b114, b115, b116, b117;
    byte b120, b121, b122, b123, b124, b125, b126, b127;
    byte b130, b131, b132, b133, b134, b135, b136, b137;
    byte b140, b141, b142, b143, b144, b145, b146, b147;
    byte b150, b151, b152, b153, b154, b155, b156, b157;
}

/** The contended word: the index of the most recently pushed slot, or -1. */
@CachelineGroup(value = "head", writer = "completion threads (push) and the job's submitter (takeAll)")
abstract class CompletionStackHead extends CompletionStackPad0 {
    volatile int head = -1;
}

/** After the head. */
@CachelinePad
abstract class CompletionStackPad1 extends CompletionStackHead {
    byte b000, b001, b002, b003, b004, b005, b006, b007;
    byte b010, b011, b012, b013, b014, b015, b016, b017;
    byte b020, b021, b022, b023, b024, b025, b026, b027;
    byte b030, b031, b032, b033, b034, b035, b036, b037;
    byte b040, b041, b042, b043, b044, b045, b046, b047;
    byte b050, b051, b052, b053, b054, b055, b056, b057;
    byte b060, b061, b062, b063, b064, b065, b066, b067;
    byte b070, b071, b072, b073, b074, b075, b076, b077;
    byte b080, b081, b082, b083, b084, b085, b086, b087;
    byte b090, b091, b092, b093, b094, b095, b096, b097;
    byte b100, b101, b102, b103, b104, b105, b106, b107;
    byte b110, b111, b112, b113, b114, b115, b116, b117;
    byte b120, b121, b122, b123, b124, b125, b126, b127;
    byte b130, b131, b132, b133, b134, b135, b136, b137;
    byte b140, b141, b142, b143, b144, b145, b146, b147;
    byte b150, b151, b152, b153, b154, b155, b156, b157;
}

/**
 * A job's completed slots, handed from completion threads to its submitter: a lock-free
 * multi-producer stack of slot indices linked through a preallocated array (the kernel's
 * {@code llist}, as blk-mq's own completion lists). Push is one CAS; the single consumer takes
 * everything with one exchange, so there is no ABA and nothing is allocated. A slot is in the
 * stack at most once (it is in flight until the submitter takes it back). Hand-written rather than a
 * JCTools queue for the numbers in CompletionThread's javadoc (CompletionListBench).
 */
@CachelineGroup("stack")
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
