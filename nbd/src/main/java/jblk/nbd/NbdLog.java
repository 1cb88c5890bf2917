package jblk.nbd;

import java.util.Locale;

/**
 * The server's log: one line per event on stderr ("nbd: ..."), filtered by a level that
 * {@code --verbose} or {@code -Djblk.nbd.log=debug|info|warn|off} sets. Not on the data path:
 * only connection events, refused options, protocol violations and errors are logged.
 */
public final class NbdLog {
    public enum Level { DEBUG, INFO, WARN, OFF }

    private static volatile Level level = parse(System.getProperty("jblk.nbd.log", "info"));

    private NbdLog() {
    }

    public static Level parse(String s) {
        try {
            return Level.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log level '" + s + "' is invalid: allowed debug, info, warn, off");
        }
    }

    public static void setLevel(Level l) {
        level = l;
    }

    static void debug(String msg) {
        log(Level.DEBUG, msg);
    }

    static void info(String msg) {
        log(Level.INFO, msg);
    }

    static void warn(String msg) {
        log(Level.WARN, msg);
    }

    private static void log(Level l, String msg) {
        if (l.ordinal() >= level.ordinal()) {
            System.err.println("nbd: " + msg);
        }
    }
}
