package jblk.safety.race;

import jblk.blockcore.Request;
import jblk.blockcore.spi.InstalledOnce;
import jblk.safety.RequestRef;
import jblk.safety.TagSet;

/**
 * What stress's jcstress tests do to the binding's internals to stage a race (the request behind a
 * handle, complete()'s word transition without the softirq, the vtable's complete callback), so
 * they drive the real code rather than copies of it. safety's module-info exports this package to
 * jblk.stress alone. The door is an {@link InstalledOnce}: safety installs the one implementation
 * when {@link RequestRef} is initialised.
 */
public abstract class RaceAccess {
    private static final InstalledOnce<RaceAccess> DOOR = new InstalledOnce<>(RequestRef.class);

    /**
     * Read on first use, not in this class's initialiser: RequestRef's initialiser installs the door
     * and so may be what initialises this class, before the door is there.
     */
    private static final class Holder {
        static final RaceAccess ACCESS = DOOR.get();
    }

    /** Called once, by safety's {@link RequestRef}; a second call is refused. */
    public static void install(RaceAccess access) {
        DOOR.install(access);
    }

    /** The blockcore request behind a handle ({@code ARef<Request>}'s pointee). */
    public static Request requestOf(RequestRef<?> ref) {
        return Holder.ACCESS.request(ref);
    }

    /**
     * complete()'s transition of the word (COMPLETE, the handle's reference moved to the completion
     * context) without raising the softirq. Returns false when it was refused (e.g. SHARED).
     */
    public static boolean moveToComplete(RequestRef<?> ref) {
        return Holder.ACCESS.completeTransition(ref);
    }

    /** The vtable's complete callback, as blockcore's softirq context calls it. */
    public static void callComplete(TagSet<?, ?> set, Request rq) {
        Holder.ACCESS.vtableComplete(set, rq);
    }

    protected abstract Request request(RequestRef<?> ref);

    protected abstract boolean completeTransition(RequestRef<?> ref);

    protected abstract void vtableComplete(TagSet<?, ?> set, Request rq);
}
