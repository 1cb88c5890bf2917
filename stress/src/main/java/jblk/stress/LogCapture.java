package jblk.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Takes jblk's log records (loggers {@code jblk} and {@code jblk.safety}) during the torture run
 * instead of printing them: DEBUG mode logs a report with stack traces for every refused end, far
 * too many to print. It counts them (refusal reports per disk, errors) and keeps a few samples.
 */
final class LogCapture extends Handler {
    private static final int SAMPLES = 3;
    /** Held strongly: java.util.logging keeps loggers only weakly. */
    private final List<Logger> loggers = new ArrayList<>();
    private final ConcurrentHashMap<String, LongAdder> refusalReports = new ConcurrentHashMap<>();
    final LongAdder errors = new LongAdder();
    private final List<String> samples = new ArrayList<>();

    static LogCapture install() {
        LogCapture c = new LogCapture();
        for (String name : new String[] {"jblk", "jblk.safety"}) {
            Logger l = Logger.getLogger(name);
            l.setUseParentHandlers(false);
            l.addHandler(c);
            c.loggers.add(l);
        }
        return c;
    }

    void uninstall() {
        for (Logger l : loggers) {
            l.removeHandler(this);
            l.setUseParentHandlers(true);
        }
    }

    @Override
    public void publish(LogRecord r) {
        String m = r.getMessage() == null ? "" : r.getMessage();
        if (m.startsWith("ownership violation on ")) {
            int end = m.indexOf(':', "ownership violation on ".length());
            String disk = end > 0 ? m.substring("ownership violation on ".length(), end) : "?";
            refusalReports.computeIfAbsent(disk, k -> new LongAdder()).increment();
        } else if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.increment();
        }
        synchronized (samples) {
            if (samples.size() < SAMPLES) {
                samples.add(r.getLevel() + " " + m);
            }
        }
    }

    long refusalReports(String disk) {
        LongAdder a = refusalReports.get(disk);
        return a == null ? 0 : a.sum();
    }

    List<String> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
