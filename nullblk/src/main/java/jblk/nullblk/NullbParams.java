package jblk.nullblk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jblk.blockcore.TagSet;

/**
 * null_blk's parameters, with the kernel's names, units and defaults (drivers/block/null_blk/
 * main.c's module parameters and configfs attributes), given as {@code name=value} pairs the way
 * {@code modprobe null_blk ...} takes them. Every invalid value is refused with one message naming
 * the parameter, the value and what is allowed; unknown names with the list of known ones.
 *
 * <p>Deliberate differences from the kernel, which often clamps or ignores silently: out-of-range
 * values are refused, not clamped; {@code discard} and {@code cache_size} without
 * {@code memory_backed} are refused, not ignored; {@code queue_mode} 0 and 1 are refused. The
 * zoned parameters are checked and clamped at power-on exactly as the kernel does
 * ({@link ZoneConfig}), since users rely on those clamps.
 */
public final class NullbParams {
    enum Kind { INT, LONG, BOOL, FAULT, BADBLOCKS }

    /** One parameter: its name, kind, default, allowed range, and whether it may change while powered. */
    record Def(String name, Kind kind, String def, long min, long max, boolean live, String help) {
    }

    private static final Map<String, Def> DEFS = new LinkedHashMap<>();

    private static void def(String name, Kind kind, String def, long min, long max, boolean live, String help) {
        DEFS.put(name, new Def(name, kind, def, min, max, live, help));
    }

    static {
        def("queue_mode", Kind.INT, "2", 2, 2, false, "2 = blk-mq (the only mode the kernel still has)");
        def("submit_queues", Kind.INT, "1", 1, TagSet.MAX_HW_QUEUES - 1, true, "hardware queues for submission");
        def("poll_queues", Kind.INT, "1", 0, TagSet.MAX_HW_QUEUES - 1, true, "polled hardware queues");
        def("gb", Kind.LONG, "250", 1, 1L << 20, false, "capacity in GB (GiB)");
        def("size", Kind.LONG, "0", 0, 1L << 30, false, "capacity in MB (MiB); wins over gb when set");
        def("bs", Kind.INT, "512", 512, 4096, false, "logical = physical block size, a power of two");
        def("max_sectors", Kind.INT, "0", 0, 1 << 22, false,
                "largest I/O in 512-byte sectors; 0 = block layer default");
        def("nr_devices", Kind.INT, "1", 1, 64, false, "devices created (nullb0..)");
        def("irqmode", Kind.INT, "1", 0, 2, false, "0 none (end inline), 1 softirq, 2 timer");
        def("completion_nsec", Kind.LONG, "10000", 0, 60_000_000_000L, false, "timer-mode completion delay (ns)");
        def("hw_queue_depth", Kind.INT, "64", 1, TagSet.MAX_DEPTH, false, "tags per hardware queue");
        def("memory_backed", Kind.BOOL, "0", 0, 1, false, "store data in memory");
        def("discard", Kind.BOOL, "0", 0, 1, false, "support DISCARD (needs memory_backed)");
        def("cache_size", Kind.LONG, "0", 0, 1L << 20, false, "write-back cache in MiB (needs memory_backed)");
        def("fua", Kind.BOOL, "1", 0, 1, false, "advertise FUA when there is a cache");
        def("mbps", Kind.INT, "0", 0, 40960, false, "bandwidth cap in MiB/s; 0 = none");
        def("blocking", Kind.BOOL, "0", 0, 1, false, "queueRq may block (BLK_MQ_F_BLOCKING)");
        def("shared_tags", Kind.BOOL, "0", 0, 1, false, "all devices share one tag set");
        def("shared_tag_bitmap", Kind.BOOL, "0", 0, 1, false, "one tag space across hardware queues");
        def("no_sched", Kind.BOOL, "0", 0, 1, false, "start with scheduler none (else mq-deadline on 1 hw queue)");
        def("rotational", Kind.BOOL, "0", 0, 1, false, "report a rotational device");
        def("virt_boundary", Kind.BOOL, "0", 0, 1, false, "virtual boundary limit (accepted, reported)");
        def("home_node", Kind.INT, "-1", -1, 1023, false, "NUMA node (accepted, no effect)");
        def("use_per_node_hctx", Kind.BOOL, "0", 0, 0, false, "one hardware queue per NUMA node (not modelled)");
        def("zoned", Kind.BOOL, "0", 0, 1, false, "a host-managed zoned device (zone_* parameters)");
        def("zone_size", Kind.LONG, "256", 0, 1L << 20, false, "zone size in MB, a power of two <= the device size");
        def("zone_capacity", Kind.LONG, "0", 0, 1L << 20, false, "zone capacity in MB; 0 = zone_size");
        def("zone_nr_conv", Kind.INT, "0", 0, Integer.MAX_VALUE, false, "conventional zones (clamped to zones - 1)");
        def("zone_max_open", Kind.INT, "0", 0, Integer.MAX_VALUE, false, "max open zones; 0 = no limit");
        def("zone_max_active", Kind.INT, "0", 0, Integer.MAX_VALUE, false, "max active zones; 0 = no limit");
        def("zone_append_max_sectors", Kind.INT, "2147483647", 0, Integer.MAX_VALUE, false,
                "largest ZONE_APPEND in sectors; 0 = block layer emulation");
        def("zone_full", Kind.BOOL, "0", 0, 1, false, "sequential zones start FULL");
        def("timeout", Kind.FAULT, "", 0, 0, false, "fault injection: requests that never complete");
        def("requeue", Kind.FAULT, "", 0, 0, false, "fault injection: requeued requests");
        def("init_hctx", Kind.FAULT, "", 0, 0, false, "fault injection: failing init_hctx");
        def("badblocks", Kind.BADBLOCKS, "", 0, 0, true, "+start-end / -start-end sector ranges, comma-separated");
        def("badblocks_once", Kind.BOOL, "0", 0, 1, false, "a bad block fails only once");
        def("badblocks_partial_io", Kind.BOOL, "0", 0, 1, false, "transfer up to the first bad block");
        def("iostats", Kind.BOOL, "1", 0, 1, true, "I/O accounting (queue/iostats)");
    }

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> explicit = new ArrayList<>();

    public NullbParams() {
        for (Def d : DEFS.values()) {
            values.put(d.name(), d.def());
        }
    }

    /** Parses {@code "name=value name=value ..."} (whitespace separated, as modprobe takes them). */
    public static NullbParams parse(String args) {
        NullbParams p = parseAttributes(args);
        p.validate();
        return p;
    }

    /** As {@link #parse}, without the checks across parameters (a device's own few, applied later). */
    static NullbParams parseAttributes(String args) {
        NullbParams p = new NullbParams();
        if (args != null) {
            for (String tok : args.trim().split("\\s+")) {
                if (tok.isEmpty()) {
                    continue;
                }
                int eq = tok.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("null_blk parameter '" + tok
                            + "' is invalid: expected name=value");
                }
                p.set(tok.substring(0, eq), tok.substring(eq + 1));
            }
        }
        return p;
    }

    /** The known parameter names, in table order. */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(DEFS.keySet()));
    }

    static Def def(String name) {
        Def d = DEFS.get(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown null_blk parameter '" + name + "': known parameters are "
                    + String.join(", ", DEFS.keySet()));
        }
        return d;
    }

    /** Sets one parameter, checking its value. */
    public NullbParams set(String name, String value) {
        Def d = def(name);
        String v = value == null ? "" : value.trim();
        values.put(name, normalise(d, v));
        explicit.remove(name);
        explicit.add(name);
        return this;
    }

    /** A boolean as {@code kstrtobool} reads it: 1/0, y/n, yes/no, on/off, true/false. */
    static boolean parseBool(String name, String v) {
        String b = v.trim().toLowerCase(Locale.ROOT);
        if (b.equals("1") || b.equals("y") || b.equals("yes") || b.equals("on") || b.equals("true")) {
            return true;
        }
        if (b.equals("0") || b.equals("n") || b.equals("no") || b.equals("off") || b.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException(name + "=" + v + " is invalid: allowed 0 or 1 (also y/n)");
    }

    private static String normalise(Def d, String v) {
        switch (d.kind()) {
            case BOOL:
                String n = parseBool(d.name(), v) ? "1" : "0";
                if (Long.parseLong(n) > d.max()) {
                    throw new IllegalArgumentException(d.name() + "=" + v + " is not supported: " + d.help()
                            + "; allowed 0");
                }
                return n;
            case INT:
            case LONG:
                long x;
                try {
                    x = Long.decode(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(d.name() + "=" + v + " is invalid: allowed an integer in "
                            + d.min() + ".." + d.max());
                }
                if (x < d.min() || x > d.max()) {
                    String extra = d.name().equals("queue_mode") ? " (queue_mode 0 and 1 are gone from the kernel)"
                            : "";
                    throw new IllegalArgumentException(d.name() + "=" + v + " is out of range: allowed "
                            + d.min() + ".." + d.max() + extra);
                }
                if (d.name().equals("bs") && Long.bitCount(x) != 1) {
                    throw new IllegalArgumentException("bs=" + v + " is invalid: allowed a power of two in 512..4096");
                }
                if (d.name().equals("max_sectors") && x != 0 && x < 8) {
                    throw new IllegalArgumentException("max_sectors=" + v
                            + " is out of range: allowed 0 (default) or 8.."
                            + d.max());
                }
                return Long.toString(x);
            case FAULT:
                FaultInject.parse(d.name(), v, new java.util.Random(0)); // checks the format
                return v;
            case BADBLOCKS:
                new BadBlocks().apply(d.name(), v);
                return v;
            default:
                throw new AssertionError(d.kind());
        }
    }

    /** Checks what depends on more than one parameter. */
    public void validate() {
        if (bool("discard") && !bool("memory_backed")) {
            throw new IllegalArgumentException("discard=1 needs memory_backed=1 (there is nothing to discard)");
        }
        if (cacheSizeMiB() > 0 && !bool("memory_backed")) {
            throw new IllegalArgumentException("cache_size=" + cacheSizeMiB() + " needs memory_backed=1");
        }
        int total = submitQueues() + pollQueues();
        if (total > TagSet.MAX_HW_QUEUES) {
            throw new IllegalArgumentException("submit_queues=" + submitQueues() + " + poll_queues=" + pollQueues()
                    + " is " + total + " hardware queues: allowed at most " + TagSet.MAX_HW_QUEUES);
        }
    }

    // ---- typed views ---------------------------------------------------------------------------

    public String get(String name) {
        def(name);
        return values.get(name);
    }

    public boolean isSet(String name) {
        return explicit.contains(name);
    }

    long num(String name) {
        return Long.parseLong(values.get(name));
    }

    boolean bool(String name) {
        return "1".equals(values.get(name));
    }

    public int submitQueues() {
        return (int) num("submit_queues");
    }

    public int pollQueues() {
        return (int) num("poll_queues");
    }

    /** Capacity in MiB: {@code size} when given, else {@code gb} * 1024. */
    public long capacityMiB() {
        long size = num("size");
        return size > 0 ? size : num("gb") * 1024;
    }

    /** Capacity in 512-byte sectors. */
    public long capacitySectors() {
        return capacityMiB() << 11;
    }

    public int blockSize() {
        return (int) num("bs");
    }

    public int maxSectors() {
        return (int) num("max_sectors");
    }

    public int nrDevices() {
        return (int) num("nr_devices");
    }

    public int irqmode() {
        return (int) num("irqmode");
    }

    public long completionNsec() {
        return num("completion_nsec");
    }

    public int hwQueueDepth() {
        return (int) num("hw_queue_depth");
    }

    public boolean memoryBacked() {
        return bool("memory_backed");
    }

    public boolean discard() {
        return bool("discard");
    }

    public long cacheSizeMiB() {
        return num("cache_size");
    }

    public boolean fua() {
        return bool("fua");
    }

    public int mbps() {
        return (int) num("mbps");
    }

    /** BLK_MQ_F_BLOCKING: asked for, or implied by memory_backed as in the kernel. */
    public boolean blocking() {
        return bool("blocking") || memoryBacked();
    }

    public boolean sharedTags() {
        return bool("shared_tags");
    }

    /** {@code no_sched}: the device starts without an I/O scheduler (else the kernel's default). */
    public boolean noSched() {
        return bool("no_sched");
    }

    public boolean sharedTagBitmap() {
        return bool("shared_tag_bitmap");
    }

    public boolean rotational() {
        return bool("rotational");
    }

    public boolean virtBoundary() {
        return bool("virt_boundary");
    }

    public String timeoutFault() {
        return values.get("timeout");
    }

    public String requeueFault() {
        return values.get("requeue");
    }

    public String initHctxFault() {
        return values.get("init_hctx");
    }

    public String badblocks() {
        return values.get("badblocks");
    }

    public boolean badblocksOnce() {
        return bool("badblocks_once");
    }

    public boolean badblocksPartialIo() {
        return bool("badblocks_partial_io");
    }

    public boolean iostats() {
        return bool("iostats");
    }

    public boolean zoned() {
        return bool("zoned");
    }

    public NullbParams copy() {
        NullbParams p = new NullbParams();
        p.values.putAll(values);
        p.explicit.addAll(explicit);
        return p;
    }

    /** The parameters that differ from the defaults, as {@code name=value ...}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Def d : DEFS.values()) {
            String v = values.get(d.name());
            if (!v.equals(d.def())) {
                sb.append(sb.length() > 0 ? " " : "").append(d.name()).append('=').append(v);
            }
        }
        return sb.toString();
    }

    /** A table of every parameter: name, default, allowed values, meaning. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (Def d : DEFS.values()) {
            String allowed;
            switch (d.kind()) {
                case BOOL:
                    allowed = d.max() == 0 ? "0" : "0|1";
                    break;
                case FAULT:
                    allowed = "<interval>,<probability>,<space>,<times>";
                    break;
                case BADBLOCKS:
                    allowed = "+start-end,-start-end";
                    break;
                default:
                    allowed = d.min() + ".." + d.max();
            }
            sb.append(String.format("  %-22s default %-6s %-32s %s%n", d.name(),
                    d.def().isEmpty() ? "\"\"" : d.def(), allowed, d.help()));
        }
        sb.append(String.format("  %-22s %-47s %s%n", "zone_readonly", "(configfs, powered zoned device)",
                "write a sector: its zone turns READONLY (again: back to EMPTY)"));
        sb.append(String.format("  %-22s %-47s %s%n", "zone_offline", "(configfs, powered zoned device)",
                "write a sector: its zone turns OFFLINE (again: back to EMPTY)"));
        return sb.toString();
    }
}
