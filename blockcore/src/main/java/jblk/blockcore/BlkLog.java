package jblk.blockcore;

/** Where the block layer reports what it cannot return: driver exceptions, warnings (printk). */
final class BlkLog {
    static final System.Logger LOG = System.getLogger("jblk");

    private BlkLog() {
    }

    static void driverException(String callback, Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "driver threw from " + callback + ": " + t, t);
    }

    static void warn(String msg) {
        LOG.log(System.Logger.Level.WARNING, msg);
    }

    static void info(String msg) {
        LOG.log(System.Logger.Level.INFO, msg);
    }
}
