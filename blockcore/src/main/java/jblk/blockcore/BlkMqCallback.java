package jblk.blockcore;

import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.Set;

/**
 * The optional members of {@code struct blk_mq_ops}. In C an absent callback is a NULL pointer and
 * the core takes a different path (no {@code ->queue_rqs}: issue one by one; no {@code ->timeout}:
 * re-arm the timer; ...). {@link BlkMqOps#callbacks()} says which ones a driver provides; by default
 * they are the methods its class overrides, found once when the tag set is built.
 */
public enum BlkMqCallback {
    QUEUE_RQS("queueRqs", RequestList.class),
    COMMIT_RQS("commitRqs", HwQueue.class),
    COMPLETE("complete", Request.class),
    TIMEOUT("timeout", Request.class),
    POLL("poll", HwQueue.class),
    INIT_HCTX("initHctx", HwQueue.class, int.class),
    EXIT_HCTX("exitHctx", HwQueue.class, int.class),
    INIT_REQUEST("initRequest", TagSet.class, Request.class, int.class),
    EXIT_REQUEST("exitRequest", TagSet.class, Request.class, int.class),
    MAP_QUEUES("mapQueues", TagSet.class),
    SHOW_RQ("showRq", Request.class);

    private final String method;
    @SuppressWarnings("ImmutableEnumChecker") // private, never written after construction: getMethod's argument
    private final Class<?>[] params;

    BlkMqCallback(String method, Class<?>... params) {
        this.method = method;
        this.params = params;
    }

    public String methodName() {
        return method;
    }

    /** The callbacks {@code cls} implements itself, i.e. does not inherit from {@link BlkMqOps}. */
    public static Set<BlkMqCallback> declaredBy(Class<?> cls) {
        EnumSet<BlkMqCallback> set = EnumSet.noneOf(BlkMqCallback.class);
        for (BlkMqCallback cb : values()) {
            try {
                Method m = cls.getMethod(cb.method, cb.params);
                if (m.getDeclaringClass() != BlkMqOps.class) {
                    set.add(cb);
                }
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("BlkMqOps." + cb.method + " missing", e);
            }
        }
        return set;
    }
}
