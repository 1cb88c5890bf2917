package jblk.blockcore.spi;

import jblk.blockcore.BlkMq;
import jblk.blockcore.Request;

/**
 * The delivery half of {@code blk_mq_complete_request} ({@code blk_mq_raise_softirq}) for a binding
 * that has already moved the state word with its own CAS; a raw driver calls {@link
 * BlkMq#completeRequest}, which moves the word and then delivers.
 */
public final class BindingCompletion {
    private static final SpiBridge BRIDGE = SpiBridge.get();

    private BindingCompletion() {
    }

    /** Hands {@code rq} to its queue's softirq context (inline when polled); the word is untouched. */
    public static void raiseComplete(Request rq) {
        BRIDGE.raiseComplete(rq);
    }
}
