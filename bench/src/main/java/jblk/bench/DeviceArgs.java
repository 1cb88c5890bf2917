package jblk.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes jblk's per-device options out of a command line before picocli sees it:
 * {@code --nullbN "attr=value ..."} (or {@code --nullbN=...}) gives device {@code nullbN} null_blk
 * attributes of its own on top of {@code --nullb}'s, as configfs would before {@code power=1}.
 */
final class DeviceArgs {
    private static final Pattern OPTION = Pattern.compile("--nullb([0-9]+)(=(.*))?", Pattern.DOTALL);

    /** The command line without the per-device options. */
    final String[] rest;
    /** Device number to its own attributes. */
    final Map<Integer, String> perDevice;

    private DeviceArgs(String[] rest, Map<Integer, String> perDevice) {
        this.rest = rest;
        this.perDevice = perDevice;
    }

    static DeviceArgs extract(String[] args) {
        List<String> rest = new ArrayList<>();
        Map<Integer, String> per = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            Matcher m = OPTION.matcher(args[i]);
            if (!m.matches()) {
                rest.add(args[i]);
                continue;
            }
            String value = m.group(3);
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value: null_blk attributes for that device,"
                            + " e.g. " + args[i] + " \"completion_nsec=100000\"");
                }
                value = args[++i];
            }
            int dev;
            try {
                dev = Integer.parseInt(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--nullb" + m.group(1)
                        + " is out of range: allowed --nullb0..--nullb"
                        + (BenchDevices.MAX_DEVICES - 1), e);
            }
            if (per.put(dev, value) != null) {
                throw new IllegalArgumentException("--nullb" + dev
                        + " is given twice: give each device's attributes once");
            }
        }
        return new DeviceArgs(rest.toArray(new String[0]), per);
    }
}
