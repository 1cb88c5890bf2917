package jblk.blockcore;

/**
 * Models include/uapi/linux/ioprio.h: an I/O priority is a class (RT, BE, IDLE) in the top bits
 * and a level below it ({@code IOPRIO_PRIO_VALUE}). Without cgroups the class is what matters:
 * mq-deadline keeps one set of queues per class.
 */
public final class IoPrio {
    public static final int CLASS_SHIFT = 13;
    public static final int CLASS_NONE = 0;
    public static final int CLASS_RT = 1;
    public static final int CLASS_BE = 2;
    public static final int CLASS_IDLE = 3;

    private IoPrio() {
    }

    /** {@code IOPRIO_PRIO_VALUE(class, level)}. */
    public static int value(int prioClass, int level) {
        if (prioClass < CLASS_NONE || prioClass > CLASS_IDLE) {
            throw new IllegalArgumentException("ioprio class " + prioClass + " is out of range: allowed 0..3");
        }
        return prioClass << CLASS_SHIFT | (level & ((1 << CLASS_SHIFT) - 1));
    }

    /** {@code IOPRIO_PRIO_CLASS}. */
    public static int prioClass(int ioprio) {
        return (ioprio >>> CLASS_SHIFT) & 0x7;
    }
}
