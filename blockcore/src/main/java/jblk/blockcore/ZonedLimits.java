package jblk.blockcore;

/**
 * Models the zoned part of {@code struct queue_limits}: {@code BLK_FEAT_ZONED} with
 * {@code chunk_sectors} (the zone size), {@code max_open_zones}, {@code max_active_zones} (0: no
 * limit) and {@code max_zone_append_sectors} (0: the block layer emulates ZONE_APPEND with a
 * WRITE at the write pointer its zone write plug tracks).
 */
public record ZonedLimits(long chunkSectors, int maxOpenZones, int maxActiveZones, int maxZoneAppendSectors) {
    public ZonedLimits {
        if (chunkSectors <= 0 || Long.bitCount(chunkSectors) != 1) {
            throw new IllegalArgumentException("chunk_sectors (zone size) " + chunkSectors
                    + " is invalid: allowed a power of two number of sectors");
        }
        if (maxOpenZones < 0 || maxActiveZones < 0 || maxZoneAppendSectors < 0) {
            throw new IllegalArgumentException("zone limits must not be negative: max_open_zones " + maxOpenZones
                    + ", max_active_zones " + maxActiveZones + ", max_zone_append_sectors " + maxZoneAppendSectors);
        }
    }
}
