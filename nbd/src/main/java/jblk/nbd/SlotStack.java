package jblk.nbd;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A lock-free, allocation-free stack of {@link RequestSlot}s linked through their own
 * {@code next} field (a Treiber stack whose consumer takes everything at once, so there is no
 * ABA): completions push from any thread, one consumer at a time takes the whole batch.
 * Hand-written rather than a JCTools queue for the numbers in blockcore's CompletionThread javadoc
 * (bench CompletionListBench).
 */
final class SlotStack {
    private final AtomicReference<RequestSlot> head = new AtomicReference<>();

    /** Pushes {@code s}. */
    void push(RequestSlot s) {
        RequestSlot h;
        do {
            h = head.get();
            s.next = h;
        } while (!head.compareAndSet(h, s));
    }

    /** Takes every slot pushed so far, newest first (null when empty). */
    RequestSlot takeAll() {
        return head.get() == null ? null : head.getAndSet(null);
    }

    boolean isEmpty() {
        return head.get() == null;
    }
}
