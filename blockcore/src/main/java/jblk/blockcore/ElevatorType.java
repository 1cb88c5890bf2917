package jblk.blockcore;

import java.util.Locale;

/**
 * Models the registered {@code struct elevator_type}s and {@code elevator_find_get}: the I/O
 * schedulers jblk has, by their kernel names, and the default block/elevator.c picks
 * ({@code elevator_get_default}).
 */
public enum ElevatorType {
    /** No scheduler: requests go from the software queues to the driver. */
    NONE("none"),
    /** block/mq-deadline.c. */
    MQ_DEADLINE("mq-deadline");

    private final String kernelName;

    ElevatorType(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name {@code queue/scheduler} shows and accepts. */
    public String kernelName() {
        return kernelName;
    }

    /** A new instance for one queue, or null for {@link #NONE}. */
    Elevator create(RequestQueue q) {
        return this == MQ_DEADLINE ? new MqDeadline(q) : null;
    }

    /** By kernel name ("none", "mq-deadline"; case and surrounding blanks ignored). */
    public static ElevatorType byName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ElevatorType t : values()) {
            if (t.kernelName.equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("I/O scheduler '" + name + "' is unknown: allowed none, mq-deadline");
    }

    /**
     * {@code elevator_get_default} with {@code use_default_elevator}: none when the tag set asks
     * for no scheduler ({@code BLK_MQ_F_NO_SCHED_BY_DEFAULT}, null_blk's {@code no_sched=1}) or has
     * more than one hardware queue without shared tags; mq-deadline otherwise.
     */
    public static ElevatorType defaultFor(TagSet set) {
        if (set.flags().contains(TagSetFlag.NO_SCHED_BY_DEFAULT)) {
            return NONE;
        }
        if (set.nrHwQueues() != 1 && !set.flags().contains(TagSetFlag.TAG_HCTX_SHARED)) {
            return NONE;
        }
        return MQ_DEADLINE;
    }
}
