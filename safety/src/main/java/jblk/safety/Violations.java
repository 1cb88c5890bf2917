package jblk.safety;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-disk counters of ownership violations, by kind: readable by tools ({@link #count},
 * {@link #snapshot}) and shown in the disk's debugfs as {@code ownership}.
 */
public final class Violations {
    private final String disk;
    private final AtomicLongArray counts = new AtomicLongArray(Violation.values().length);

    Violations(String disk) {
        this.disk = disk;
    }

    void add(Violation v) {
        counts.incrementAndGet(v.ordinal());
    }

    public long count(Violation v) {
        return counts.get(v.ordinal());
    }

    public long total() {
        long t = 0;
        for (int i = 0; i < counts.length(); i++) {
            t += counts.get(i);
        }
        return t;
    }

    public Map<Violation, Long> snapshot() {
        Map<Violation, Long> m = new EnumMap<>(Violation.class);
        for (Violation v : Violation.values()) {
            m.put(v, counts.get(v.ordinal()));
        }
        return m;
    }

    /** The debugfs text: one "kind count" line per kind. */
    String render(Ownership mode) {
        StringBuilder sb = new StringBuilder();
        sb.append("mode ").append(mode).append('\n');
        for (Violation v : Violation.values()) {
            sb.append(v.name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(count(v)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return disk + " " + snapshot();
    }
}
