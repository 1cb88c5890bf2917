package jblk.blockcore;

/**
 * Models {@code block_device_operations->report_zones}: a zoned driver reports up to
 * {@code nrZones} zones from the one holding {@code sector}, calling {@code cb} with each zone and
 * its index among the reported ones; a callback error ({@link RuntimeException}) aborts the report.
 * Returns how many zones were reported (0 when {@code sector} is past the last zone).
 */
@FunctionalInterface
public interface ReportZones {
    int reportZones(long sector, int nrZones, Callback cb);

    /** Models {@code report_zones_cb}. */
    @FunctionalInterface
    interface Callback {
        void zone(BlkZone zone, int idx);
    }
}
