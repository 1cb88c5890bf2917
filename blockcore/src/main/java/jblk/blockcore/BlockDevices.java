package jblk.blockcore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Models the block layer's list of live disks as {@code /proc/diskstats} walks it
 * ({@code diskstats_show} over the block class): every open {@link GenDisk} of this JVM, in the
 * order they were added, each with a minor number of its own under one major.
 */
public final class BlockDevices {
    /** jblk's one block major (the kernel gives null_blk a dynamic one; this is fixed). */
    public static final int MAJOR = 252;

    private static final List<GenDisk> DISKS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger NEXT_MINOR = new AtomicInteger();

    private BlockDevices() {
    }

    /** {@code add_disk}: the disk appears in the listing; returns its minor. */
    static int add(GenDisk disk) {
        DISKS.add(disk);
        return NEXT_MINOR.getAndIncrement();
    }

    /** {@code del_gendisk}: the disk leaves the listing. */
    static void remove(GenDisk disk) {
        DISKS.remove(disk);
    }

    /** The open disks, oldest first. */
    public static List<GenDisk> disks() {
        return new ArrayList<>(DISKS);
    }

    /**
     * {@code /proc/diskstats}: one line per open disk, "major minor name" and then the 17 fields of
     * its {@code /sys/block/<dev>/stat}, in the kernel's format.
     */
    public static String procDiskstats() {
        StringBuilder sb = new StringBuilder();
        for (GenDisk d : DISKS) {
            sb.append(String.format("%4d %7d %s", MAJOR, d.minor(), d.name()));
            for (long f : d.statFields()) {
                sb.append(' ').append(f);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
