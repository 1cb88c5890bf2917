package jblk.safety;

import jblk.blockcore.Request;

/**
 * Models the Rust binding's {@code RequestDataWrapper}: what the PDU of each tag holds on the safe
 * side: the driver's data, the mode-OFF handle (one per tag, reused), and in DEBUG mode the record
 * of the current issue.
 */
final class RequestData<T> {
    final T data;
    final OperationsVTable<T, ?> vt;
    final Request rq;
    /** Mode OFF: the one handle of this tag. */
    final OffRequestRef<T> offRef;
    /** DEBUG: the record of the request's current issue (for leak reports). */
    volatile DebugRecord debug;

    RequestData(T data, OperationsVTable<T, ?> vt, Request rq) {
        this.data = data;
        this.vt = vt;
        this.rq = rq;
        this.offRef = vt.mode == Ownership.OFF ? new OffRequestRef<>(rq, this) : null;
    }
}
