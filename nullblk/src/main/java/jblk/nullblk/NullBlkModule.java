package jblk.nullblk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jblk.safety.Ownership;

/**
 * Models loading the null_blk module: {@code modprobe null_blk nr_devices=2 shared_tags=1 ...}
 * creates and powers on {@code nullb0..nullbN-1} with the given parameters, optionally all on one
 * tag set. {@link #close()} is {@code rmmod}.
 */
public final class NullBlkModule implements AutoCloseable {
    private final List<NullbDevice> devices = new ArrayList<>();
    private final NullbDevice.SharedSet shared;

    private NullBlkModule(NullbParams p, DriverKind driver, Ownership ownership, Long seed, Long memoryBudget) {
        NullbDevice.SharedSet s = null;
        try {
            for (int i = 0; i < p.nrDevices(); i++) {
                NullbDevice d;
                if (p.sharedTags()) {
                    if (s == null) {
                        d = new NullbDevice("nullb" + i, p, driver, ownership);
                        s = new NullbDevice.SharedSet(d);
                        d = new NullbDevice("nullb" + i, p, driver, ownership, s);
                    } else {
                        d = new NullbDevice("nullb" + i, p, driver, ownership, s);
                    }
                } else {
                    d = new NullbDevice("nullb" + i, p, driver, ownership);
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
    public static NullBlkModule load(String args, DriverKind driver, Ownership ownership, long seed, long memoryBudget) {
        return new NullBlkModule(NullbParams.parse(args), driver, ownership, seed, memoryBudget);
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
