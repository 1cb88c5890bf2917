package jblk.safety.race;

import jblk.blockcore.Request;
import jblk.safety.RequestRef;
import jblk.safety.TagSet;

/**
 * What stress's jcstress tests do to the binding's internals to stage a race (the request behind a
 * handle, complete()'s word transition without the softirq, the vtable's complete callback), so
 * they drive the real code rather than copies of it. safety's module-info exports this package to
 * jblk.stress alone. The door is the JDK's {@code SharedSecrets} pattern: safety installs the one
 * implementation when {@link RequestRef} is initialised.
 */
public abstract class RaceAccess {
    private static RaceAccess installed;
    private static final RaceAccess ACCESS = get();

    /** Called once, by safety; a second call is refused. */
    public static synchronized void install(RaceAccess access) {
        if (installed != null) {
            throw new IllegalStateException("RaceAccess already installed");
        }
        installed = access;
    }

    private static synchronized RaceAccess get() {
        if (installed == null) {
            try {
                Class.forName(RequestRef.class.getName(), true, RequestRef.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        return installed;
    }

    /** The blockcore request behind a handle ({@code ARef<Request>}'s pointee). */
    public static Request requestOf(RequestRef<?> ref) {
        return ACCESS.request(ref);
    }

    /**
     * complete()'s transition of the word (COMPLETE, the handle's reference moved to the completion
     * context) without raising the softirq. Returns false when it was refused (e.g. SHARED).
     */
    public static boolean moveToComplete(RequestRef<?> ref) {
        return ACCESS.completeTransition(ref);
    }

    /** The vtable's complete callback, as blockcore's softirq context calls it. */
    public static void callComplete(TagSet<?, ?> set, Request rq) {
        ACCESS.vtableComplete(set, rq);
    }

    protected abstract Request request(RequestRef<?> ref);

    protected abstract boolean completeTransition(RequestRef<?> ref);

    protected abstract void vtableComplete(TagSet<?, ?> set, Request rq);
}
