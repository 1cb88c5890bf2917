package jblk.safety;

import jblk.blockcore.Request;
import jblk.safety.race.RaceAccess;

/** safety's side of {@link RaceAccess}: forwards to package-private members. */
final class SafetyRaceBridge extends RaceAccess {
    @Override
    protected Request request(RequestRef<?> ref) {
        return ref.rq;
    }

    @Override
    protected boolean completeTransition(RequestRef<?> ref) {
        CheckedRequestRef<?> c = (CheckedRequestRef<?>) ref;
        return !OwnershipWord.refused(OwnershipWord.apply(c.rq, OwnershipWord.COMPLETE_OP, c.gen, c.role));
    }

    @Override
    protected void vtableComplete(TagSet<?, ?> set, Request rq) {
        set.vt.complete(rq);
    }
}
