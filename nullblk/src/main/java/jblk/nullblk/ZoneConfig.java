package jblk.nullblk;

import java.util.ArrayList;
import java.util.List;

/**
 * Models the checks and clamps of {@code null_init_zoned_dev} (drivers/block/null_blk/zoned.c) at
 * power-on: what the zoned parameters become, with the kernel's rules. Refusals are the kernel's
 * EINVAL cases, with one message naming the parameter; clamps are applied as the kernel applies
 * them and noted (the kernel's pr_info lines).
 */
record ZoneConfig(long zoneSectors, long capacitySectors, int nrZones, int nrConv, long zoneCapSectors,
        int maxOpen, int maxActive, int appendMaxSectors, boolean full, List<String> notes) {

    /** {@code need_zone_res_mgmt}: open/active accounting only when a limit is set. */
    boolean resMgmt() {
        return maxOpen != 0 || maxActive != 0;
    }

    int nrSeq() {
        return nrZones - nrConv;
    }

    static ZoneConfig of(NullbParams p) {
        long sizeMb = p.capacityMiB();
        long zoneMb = p.num("zone_size");
        long capMb = p.num("zone_capacity");
        if (zoneMb <= 0 || Long.bitCount(zoneMb) != 1) {
            throw new IllegalArgumentException("zone_size=" + zoneMb + " is invalid: allowed a power of two (MB) in 1.."
                    + sizeMb + " (EINVAL: zone_size must be power-of-two)");
        }
        if (zoneMb > sizeMb) {
            throw new IllegalArgumentException("zone_size=" + zoneMb + " is larger than the device capacity " + sizeMb
                    + " MB: allowed a power of two in 1.." + sizeMb + " (EINVAL)");
        }
        if (capMb == 0) {
            capMb = zoneMb;
        }
        if (capMb > zoneMb) {
            throw new IllegalArgumentException("zone_capacity=" + capMb + " is larger than zone_size=" + zoneMb
                    + ": allowed 0 (= zone_size) or 1.." + zoneMb + " MB (EINVAL)");
        }
        if (capMb != zoneMb && (sizeMb & (zoneMb - 1)) != 0) {
            throw new IllegalArgumentException("zone_capacity=" + capMb + " (below zone_size=" + zoneMb
                    + ") needs a device size that is a multiple of zone_size, got size " + sizeMb
                    + " MB: a smaller last zone is not allowed with a smaller zone capacity (EINVAL)");
        }
        List<String> notes = new ArrayList<>();
        long zoneSectors = zoneMb << 11;
        long devSectors = sizeMb << 11;
        long capSectors = capMb << 11;
        int nrZones = (int) ((devSectors + zoneSectors - 1) / zoneSectors);
        int nrConv = (int) p.num("zone_nr_conv");
        if (nrConv >= nrZones) {
            nrConv = nrZones - 1;
            notes.add("changed the number of conventional zones to " + nrConv);
        }
        int bsSectors = p.blockSize() >>> 9;
        long append = p.num("zone_append_max_sectors");
        int appendMax = (int) Math.min(append / bsSectors * bsSectors, capSectors);
        int nrSeq = nrZones - nrConv;
        int maxActive = (int) p.num("zone_max_active");
        int maxOpen = (int) p.num("zone_max_open");
        if (maxActive >= nrSeq) {
            maxActive = 0;
            notes.add("zone_max_active limit disabled, limit >= zone count");
        }
        if (maxActive != 0 && maxOpen > maxActive) {
            maxOpen = maxActive;
            notes.add("changed the maximum number of open zones to " + maxOpen);
        } else if (maxOpen >= nrSeq) {
            maxOpen = 0;
            notes.add("zone_max_open limit disabled, limit >= zone count");
        }
        return new ZoneConfig(zoneSectors, devSectors, nrZones, nrConv, capSectors, maxOpen, maxActive, appendMax,
                p.bool("zone_full"), List.copyOf(notes));
    }
}
