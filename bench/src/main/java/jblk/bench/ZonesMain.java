package jblk.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import jblk.blockcore.GenDisk;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.nullblk.NullbDevice;
import jblk.nullblk.NullbParams;
import jblk.safety.Ownership;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jblk zones}: {@code blkzone report} of a zoned null_blk device, as util-linux prints it
 * ({@code blkzone report [--offset S] [--count N] /dev/nullb0}), optionally after configfs
 * {@code zone_readonly} / {@code zone_offline} writes. The device exists for this command only.
 */
@Command(name = "jblk zones", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = {"blkzone report of a zoned jblk null_blk device (zoned=1 in --nullb)."})
public final class ZonesMain implements Callable<Integer> {
    @Option(names = "--nullb", description = "null_blk parameters, with zoned=1 (default: ${DEFAULT-VALUE})")
    String nullb = "zoned=1";

    @Option(names = "--driver", description = "raw or safe (default: ${DEFAULT-VALUE})")
    String driver = "safe";

    @Option(names = {"-o", "--offset"}, description = "first sector to report (default: 0)")
    long offset;

    @Option(names = {"-c", "--count"}, description = "zones to report (default: all from --offset)")
    Integer count;

    @Option(names = "--zone_readonly", split = ",",
            description = "configfs zone_readonly: sectors whose zones turn READONLY")
    List<Long> readonly = List.of();

    @Option(names = "--zone_offline", split = ",",
            description = "configfs zone_offline: sectors whose zones turn OFFLINE")
    List<Long> offline = List.of();

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        ZonesMain m = new ZonesMain();
        m.out = out;
        return Cli.execute(m, "jblk zones", args, out, err);
    }

    @Override
    public Integer call() {
        NullbParams params;
        try {
            params = NullbParams.parse(nullb);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--nullb: " + e.getMessage());
        }
        if (!params.zoned()) {
            throw new IllegalArgumentException("--nullb \"" + nullb + "\" is not a zoned device: add zoned=1");
        }
        if (count != null && count < 1) {
            throw new IllegalArgumentException("--count=" + count + " is out of range: allowed 1 or more zones");
        }
        DriverKind drv = DriverKind.parse(driver);
        try (NullBlkModule m = NullBlkModule.load(params.toString(), drv,
                drv == DriverKind.RAW ? Ownership.OFF : Ownership.CHECKED)) {
            NullbDevice dev = m.device(0);
            for (long s : readonly) {
                dev.set("zone_readonly", Long.toString(s));
            }
            for (long s : offline) {
                dev.set("zone_offline", Long.toString(s));
            }
            GenDisk disk = dev.disk();
            if (offset < 0 || offset >= disk.capacity()) {
                throw new IllegalArgumentException("--offset=" + offset + " is out of range: allowed 0.."
                        + (disk.capacity() - 1) + " sectors");
            }
            for (String note : dev.zoneNotes()) {
                out.println("null_blk: " + note);
            }
            int n = count != null ? count : disk.zones().nrZones();
            StringBuilder sb = new StringBuilder();
            disk.reportZones(offset, n, (z, i) -> sb.append(z.blkzoneLine()).append('\n'));
            out.print(sb);
            out.printf(Locale.ROOT, "# %s: %d zones of %d sectors, max_open %d, max_active %d, max_append %d sectors%n",
                    disk.name(), disk.zones().nrZones(), disk.zones().zoneSectors(),
                    disk.zones().limits().maxOpenZones(), disk.zones().limits().maxActiveZones(),
                    disk.zones().limits().maxZoneAppendSectors());
        }
        return 0;
    }
}
