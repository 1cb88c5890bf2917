package jblk.safety;

import jblk.blockcore.Request;

/** The DEBUG-mode handle: a CHECKED handle that also records where its request was issued and ended. */
final class DebugRequestRef<T> extends CheckedRequestRef<T> {
    final DebugRecord record;

    DebugRequestRef(Request rq, RequestData<T> wrapper, long gen, int role, DebugRecord record) {
        super(rq, wrapper, gen, role);
        this.record = record;
    }

    @Override
    void ended() {
        record.markEnded();
    }
}
