package jblk.blockcore;

import java.util.ArrayDeque;

/**
 * Models {@code struct blk_zone_wplug} (block/blk-zoned.c): one sequential zone's write plug. At
 * most one write of the zone is in the driver at a time ({@link #plugged}); writes that arrive
 * meanwhile wait here, in submission order, and go down one by one as the previous one completes,
 * so a queue depth above one cannot reorder them. {@link #wpOffset} is where the block layer
 * expects the next write (the zone's write pointer as seen from above the driver). Every field is
 * guarded by this object's monitor.
 */
final class ZoneWritePlug {
    final DiskZones owner;
    final int zoneNo;
    final long start;
    /** Sectors the zone can take ({@code zone capacity}); writes fail once wpOffset reaches it. */
    long capacity;
    /** Sectors from the zone start to the write pointer; {@link BlkZone#WP_INVALID} when the zone has none. */
    long wpOffset;
    /** {@code BLK_ZONE_WPLUG_PLUGGED}: a write of this zone is in flight or being dispatched. */
    boolean plugged;
    /** {@code BLK_ZONE_WPLUG_NEED_WP_UPDATE}: a write failed; ask the driver for the write pointer. */
    boolean needWpUpdate;
    /** {@code zwplug->bio_list}: writes waiting for the one in flight. */
    final ArrayDeque<Bio> bios = new ArrayDeque<>();

    ZoneWritePlug(DiskZones owner, int zoneNo, long start) {
        this.owner = owner;
        this.zoneNo = zoneNo;
        this.start = start;
    }

    @Override
    public String toString() {
        return "zone " + zoneNo + " wp_offset " + wpOffset + (plugged ? " plugged, " + bios.size() + " waiting" : "");
    }
}
