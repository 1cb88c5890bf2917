package jblk.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jblk.blockcore.GenDisk;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.nullblk.NullbParams;
import jblk.safety.Ownership;

/**
 * The devices of a {@code ./jblk bench} run: the null_blk module's ({@code --nullb}, with
 * {@code nr_devices}), each device's own attributes ({@code --nullbN}), and which of them the jobs
 * use ({@code --filename=/dev/nullb0[:/dev/nullb1...]}, fio's option). With several devices listed,
 * job {@code j} runs on device {@code j mod count} (fio would spread each job's I/O over all of them).
 */
final class BenchDevices {
    static final int MAX_DEVICES = 1024;
    private static final String DEV = "/dev/";

    private final List<NullbParams> params;
    private final int[] used;
    private final String moduleArgs;
    private final Map<Integer, String> perDevice;

    private BenchDevices(String moduleArgs, Map<Integer, String> perDevice, List<NullbParams> params, int[] used) {
        this.moduleArgs = moduleArgs;
        this.perDevice = perDevice;
        this.params = params;
        this.used = used;
    }

    static BenchDevices plan(String nullb, Map<Integer, String> perDevice, String filename) {
        List<NullbParams> params;
        try {
            params = NullBlkModule.deviceParams(nullb, perDevice);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            // "nullbN: ..." came from that device's own attributes
            throw new IllegalArgumentException((msg.startsWith("nullb") ? "--" : "--nullb: ") + msg, e);
        }
        return new BenchDevices(nullb, perDevice, params, parseFilename(filename, params.size()));
    }

    /** {@code --filename}: ':'-separated /dev/nullbN (or nullbN) names; default /dev/nullb0. */
    static int[] parseFilename(String filename, int nrDevices) {
        if (filename == null) {
            return new int[] {0};
        }
        String[] names = filename.split(":", -1);
        int[] out = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            String n = names[i].trim();
            if (n.startsWith(DEV)) {
                n = n.substring(DEV.length());
            }
            int dev = -1;
            if (n.matches("nullb[0-9]{1,4}")) {
                dev = Integer.parseInt(n.substring(5));
            }
            if (dev < 0 || dev >= nrDevices) {
                throw new IllegalArgumentException("--filename=" + filename + ": '" + names[i] + "' is not a device of"
                        + " this run: allowed /dev/nullb0../dev/nullb" + (nrDevices - 1) + " (null_blk nr_devices="
                        + nrDevices + "), ':'-separated");
            }
            out[i] = dev;
        }
        return out;
    }

    /** The parameters of the first device the jobs use (the one the option checks are made against). */
    NullbParams first() {
        return params.get(used[0]);
    }

    /**
     * The other devices the jobs use must take the same region and block size as the first:
     * one clear error naming the device otherwise.
     */
    void checkOthers(long bsBytes, long offBytes, long sizeBytes) {
        for (int dev : used) {
            NullbParams p = params.get(dev);
            long capacity = p.capacitySectors() << 9;
            if (bsBytes % p.blockSize() != 0) {
                throw new IllegalArgumentException("--bs=" + bsBytes + " is not a multiple of nullb" + dev
                        + "'s logical block size " + p.blockSize());
            }
            if (offBytes + sizeBytes > capacity) {
                throw new IllegalArgumentException("--offset=" + offBytes + " + --size=" + sizeBytes
                        + " runs past nullb"
                        + dev + "'s capacity " + capacity + " bytes (null_blk gb/size)");
            }
            if (p.maxSectors() > 0 && bsBytes > (long) p.maxSectors() << 9) {
                throw new IllegalArgumentException("--bs=" + bsBytes + " exceeds nullb" + dev + "'s max_sectors="
                        + p.maxSectors());
            }
        }
    }

    NullBlkModule load(DriverKind drv, Ownership own) {
        return NullBlkModule.load(moduleArgs, perDevice, drv, own);
    }

    /** The device job {@code j} runs on. */
    int deviceOf(int job) {
        return used[job % used.length];
    }

    GenDisk disk(NullBlkModule m, int job) {
        return m.device(deviceOf(job)).disk();
    }

    /** The devices the jobs use, each once, in --filename order. */
    List<GenDisk> usedDisks(NullBlkModule m) {
        List<GenDisk> out = new ArrayList<>();
        for (int dev : used) {
            GenDisk d = m.device(dev).disk();
            if (!out.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    /** One line per device used: its driver, parameters, queues, capacity and its jobs. */
    String describe(NullBlkModule m, int nrJobs, DriverKind drv, Ownership own, String extra) {
        StringBuilder sb = new StringBuilder();
        for (GenDisk d : usedDisks(m)) {
            int dev = Integer.parseInt(d.name().substring(5));
            String p = params.get(dev).toString();
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(d.name()).append(": ").append(drv).append(" null_blk")
                    .append(drv == DriverKind.SAFE ? ", ownership " + own : "")
                    .append("; parameters: ").append(p.isEmpty() ? "(defaults)" : p)
                    .append("; ").append(d.nrHwQueues()).append(" hw queue(s), scheduler ")
                    .append(d.scheduler().kernelName()).append(", capacity ")
                    .append(Units.binary((double) (d.capacity() << 9)));
            if (used.length > 1) {
                sb.append("; jobs");
                String sep = " ";
                for (int j = 0; j < nrJobs; j++) {
                    if (deviceOf(j) == dev) {
                        sb.append(sep).append(j);
                        sep = ",";
                    }
                }
            }
            sb.append(extra);
        }
        return sb.toString();
    }
}
