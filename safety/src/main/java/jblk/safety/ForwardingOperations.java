package jblk.safety;

import jblk.blockcore.BlkStatus;
import jblk.blockcore.EhTimerReturn;
import jblk.blockcore.HwQueue;

/**
 * A driver wrapped by another {@link Operations}: every call goes to the wrapped driver unless the
 * subclass overrides it. For wrapping a driver to inject faults, misbehave like a buggy driver or
 * observe what the block layer hands it (the test kit, the torture run, tests). No kernel
 * counterpart: a C driver would splice its own {@code blk_mq_ops} by hand.
 *
 * <p>The {@code #[vtable]} it offers: {@code initHctx}, {@code exitHctx} and {@code timeout} when the
 * wrapped driver implements them (or the subclass overrides them). {@code queueRqs} and
 * {@code poll} are not forwarded, so plugged batches reach the wrapper one by one through
 * {@link #queueRq} and it sees every request; a subclass that wants them overrides them.
 *
 * <p>Called without the wrapped driver implementing them (a subclass calling {@code super}), the
 * optional methods do what the core does for a driver without them: {@code timeout} re-arms the
 * timer, {@code initHctx} gives no queue data, {@code exitHctx} does nothing.
 */
public abstract class ForwardingOperations<T, H> implements Operations<T, H> {
    private final Operations<T, H> delegate;
    private final boolean hasTimeout;
    private final boolean hasInitHctx;
    private final boolean hasExitHctx;

    protected ForwardingOperations(Operations<T, H> delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("ForwardingOperations: the wrapped driver is null");
        }
        this.delegate = delegate;
        this.hasTimeout = OperationsVTable.implemented(delegate, "timeout", 1);
        this.hasInitHctx = OperationsVTable.implemented(delegate, "initHctx", 1);
        this.hasExitHctx = OperationsVTable.implemented(delegate, "exitHctx", 2);
    }

    /** The wrapped driver. */
    protected final Operations<T, H> delegate() {
        return delegate;
    }

    @Override
    public T newRequestData(int hctxIdx) {
        return delegate.newRequestData(hctxIdx);
    }

    @Override
    public BlkStatus queueRq(H hw, RequestRef<T> rq, boolean isLast) {
        return delegate.queueRq(hw, rq, isLast);
    }

    @Override
    public void commitRqs(H hw) {
        delegate.commitRqs(hw);
    }

    @Override
    public void complete(RequestRef<T> rq) {
        delegate.complete(rq);
    }

    @Override
    public EhTimerReturn timeout(RequestRef<T> rq) {
        return hasTimeout ? delegate.timeout(rq) : EhTimerReturn.RESET_TIMER;
    }

    @Override
    public H initHctx(HwQueue hctx) {
        return hasInitHctx ? delegate.initHctx(hctx) : null;
    }

    @Override
    public void exitHctx(H hw, int hctxIdx) {
        if (hasExitHctx) {
            delegate.exitHctx(hw, hctxIdx);
        }
    }
}
