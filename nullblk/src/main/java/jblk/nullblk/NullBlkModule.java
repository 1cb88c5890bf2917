package jblk.nullblk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jblk.safety.Ownership;

/**
 * Models loading the null_blk module: {@code modprobe null_blk nr_devices=2 shared_tags=1 ...}
 * creates and powers on {@code nullb0..nullbN-1} with the given parameters, optionally all on one
 * tag set. {@link #close()} is {@code rmmod}. A device may get attributes of its own on top of
 * the module's, as configfs would set them before {@code power=1}.
 */
public final class NullBlkModule implements AutoCloseable {
    private final List<NullbDevice> devices = new ArrayList<>();
    private final NullbDevice.SharedSet shared;

    /**
     * With shared_tags=1 these belong to the one tag set (the kernel takes them from the module
     * parameters, {@code g_submit_queues} ...), so a device cannot have its own.
     */
    static final Set<String> SET_WIDE = Set.of("nr_devices", "shared_tags", "submit_queues", "poll_queues",
            "hw_queue_depth", "blocking", "shared_tag_bitmap", "timeout", "init_hctx");

    private NullBlkModule(NullbParams p, DriverKind driver, Ownership ownership, Long seed, Long memoryBudget) {
        this(p, deviceParams(p, Map.of()), driver, ownership, seed, memoryBudget);
    }

    private NullBlkModule(NullbParams p, List<NullbParams> perDevice, DriverKind driver, Ownership ownership, Long seed,
                          Long memoryBudget) {
        NullbDevice.SharedSet s = null;
        try {
            for (int i = 0; i < p.nrDevices(); i++) {
                NullbParams dp = perDevice.get(i);
                NullbDevice d;
                if (p.sharedTags()) {
                    if (s == null) {
                        d = new NullbDevice("nullb" + i, p, driver, ownership);
                        s = new NullbDevice.SharedSet(d);
                        d = new NullbDevice("nullb" + i, dp, driver, ownership, s);
                    } else {
                        d = new NullbDevice("nullb" + i, dp, driver, ownership, s);
                    }
                } else {
                    d = new NullbDevice("nullb" + i, dp, driver, ownership);
                }
                if (seed != null) {
                    d.seed(seed + i);
                }
                if (memoryBudget != null) {
                    d.memoryBudget(memoryBudget);
                }
                d.power(true);
                devices.add(d);
            }
        } catch (RuntimeException e) {
            for (NullbDevice d : devices) {
                d.close();
            }
            if (s != null) {
                s.close();
            }
            throw e;
        }
        this.shared = s;
    }

    /** {@code modprobe null_blk <args>}: e.g. {@code "irqmode=0 submit_queues=2 memory_backed=1"}. */
    public static NullBlkModule load(String args, DriverKind driver, Ownership ownership) {
        return new NullBlkModule(NullbParams.parse(args), driver, ownership, null, null);
    }

    /**
     * As {@link #load(String, DriverKind, Ownership)}, with a memory budget: the bytes of pages a
     * memory-backed device may hold (default: the JVM's direct memory limit).
     */
    public static NullBlkModule load(String args, DriverKind driver, Ownership ownership, long memoryBudget) {
        return new NullBlkModule(NullbParams.parse(args), driver, ownership, null, memoryBudget);
    }

    /** As {@link #load(String, DriverKind, Ownership)}, with seeded fault injection and a memory budget. */
    public static NullBlkModule load(String args, DriverKind driver, Ownership ownership, long seed,
            long memoryBudget) {
        return new NullBlkModule(NullbParams.parse(args), driver, ownership, seed, memoryBudget);
    }

    /**
     * Loads the module with {@code args} and gives device {@code nullbN} the attributes in
     * {@code perDevice.get(N)} on top of them (e.g. {@code completion_nsec=100000000} for one slow
     * device of {@code nr_devices=2 shared_tags=1}).
     */
    public static NullBlkModule load(String args, Map<Integer, String> perDevice, DriverKind driver,
                                     Ownership ownership) {
        NullbParams p = NullbParams.parse(args);
        return new NullBlkModule(p, deviceParams(p, parseEach(perDevice)), driver, ownership, null, null);
    }

    /** The parameters each device of {@code load(args, perDevice, ...)} gets, checked, nullb0 first. */
    public static List<NullbParams> deviceParams(String args, Map<Integer, String> perDevice) {
        return deviceParams(NullbParams.parse(args), parseEach(perDevice));
    }

    private static Map<Integer, NullbParams> parseEach(Map<Integer, String> perDevice) {
        Map<Integer, NullbParams> out = new TreeMap<>();
        for (Map.Entry<Integer, String> e : perDevice.entrySet()) {
            try {
                out.put(e.getKey(), NullbParams.parseAttributes(e.getValue()));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("nullb" + e.getKey() + ": " + x.getMessage(), x);
            }
        }
        return out;
    }

    private static List<NullbParams> deviceParams(NullbParams p, Map<Integer, NullbParams> own) {
        p.validate();
        for (int n : own.keySet()) {
            if (n < 0 || n >= p.nrDevices()) {
                throw new IllegalArgumentException("nullb" + n + " does not exist: nr_devices=" + p.nrDevices()
                        + " gives nullb0..nullb" + (p.nrDevices() - 1));
            }
        }
        List<NullbParams> out = new ArrayList<>();
        for (int i = 0; i < p.nrDevices(); i++) {
            NullbParams dp = p.copy();
            NullbParams mine = own.get(i);
            if (mine != null) {
                for (String name : NullbParams.names()) {
                    if (!mine.isSet(name)) {
                        continue;
                    }
                    if (name.equals("nr_devices") || (p.sharedTags() && SET_WIDE.contains(name))) {
                        throw new IllegalArgumentException("nullb" + i + ": " + name + " is a module-wide parameter"
                                + (p.sharedTags() ? " (shared_tags=1: one tag set for all devices)" : "")
                                + "; allowed per device: the others (see ./jblk params)");
                    }
                    dp.set(name, mine.get(name));
                }
                try {
                    dp.validate();
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException("nullb" + i + ": " + x.getMessage(), x);
                }
            }
            out.add(dp);
        }
        return out;
    }

    public List<NullbDevice> devices() {
        return Collections.unmodifiableList(devices);
    }

    public NullbDevice device(int i) {
        return devices.get(i);
    }

    @Override
    public void close() {
        for (NullbDevice d : devices) {
            d.close();
        }
        if (shared != null) {
            shared.close();
        }
    }
}
