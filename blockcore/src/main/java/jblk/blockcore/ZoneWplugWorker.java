package jblk.blockcore;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * Models {@code disk->zone_wplugs_wq} with {@code blk_zone_wplug_bio_work}: the thread that
 * submits a zone's next waiting write once the previous one completed. Completions never submit
 * (that would recurse into the block layer from inside a completion); they hand the plug to this
 * thread. It submits through a software queue of its own, opened on first use, and is a daemon
 * named after the disk that stops when the disk closes.
 */
final class ZoneWplugWorker implements Runnable {
    private final GenDisk disk;
    private final DiskZones zones;
    private final LinkedBlockingQueue<ZoneWritePlug> work = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopped;
    private boolean started;

    ZoneWplugWorker(GenDisk disk, DiskZones zones) {
        this.disk = disk;
        this.zones = zones;
        this.thread = new Thread(this, "jblk-" + disk.name() + "-zwplug");
        this.thread.setDaemon(true);
    }

    /** Queues the plug's next write; each plug is here at most once (it stays plugged meanwhile). */
    void schedule(ZoneWritePlug p) {
        synchronized (this) {
            if (!started && !stopped) {
                started = true;
                thread.start();
            }
        }
        work.add(p);
    }

    void stop() {
        stopped = true;
        synchronized (this) {
            if (started) {
                thread.interrupt();
            }
        }
    }

    @Override
    public void run() {
        SwQueue ctx = null;
        try {
            while (!stopped) {
                ZoneWritePlug p;
                try {
                    p = work.take();
                } catch (InterruptedException e) {
                    break;
                }
                Bio bio = zones.nextPlugged(p);
                if (bio == null) {
                    continue;
                }
                try {
                    if (ctx == null) {
                        ctx = disk.openQueue();
                    }
                    ctx.submitBio(bio);
                } catch (IllegalStateException e) {
                    DiskZones.submitFailed(bio, "zone write plug of " + disk.name() + ": " + e.getMessage());
                }
            }
            // what was scheduled but not submitted: shutdown() failed the waiting writes; open the plugs
            ZoneWritePlug p;
            while ((p = work.poll()) != null) {
                Bio bio = zones.nextPlugged(p);
                if (bio != null) {
                    DiskZones.submitFailed(bio, disk.name() + " was closed");
                }
            }
        } finally {
            if (ctx != null && !ctx.isClosed()) {
                try {
                    ctx.close();
                } catch (RuntimeException e) {
                    BlkLog.LOG.log(System.Logger.Level.DEBUG, "zone write plug queue close: " + e);
                }
            }
        }
    }
}
