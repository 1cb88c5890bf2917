package jblk.stress.safety;

import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures the binding layer's DEBUG refusal reports (logger {@code jblk.safety}) instead of
 * printing them, and counts them per handle, so a test can check each refusal is reported exactly
 * once and says where the request was first ended.
 */
final class RefusalLog extends Handler {
    /** Reports for one handle: how many, and how many named the first end. */
    static final class Count {
        int reports;
        int withFirstEnd;
    }

    private static final String PREFIX = "ownership violation on ";
    private static final RefusalLog INSTANCE = new RefusalLog();
    /** Held strongly: java.util.logging keeps loggers only weakly. */
    private static final Logger LOGGER = Logger.getLogger("jblk.safety");

    static {
        LOGGER.setUseParentHandlers(false);
        LOGGER.addHandler(INSTANCE);
    }

    private final ConcurrentHashMap<String, Count> byHandle = new ConcurrentHashMap<>();

    static void install() {
        // the static initialiser did it
    }

    /** Removes and returns the reports about {@code handle} (its toString). */
    static Count take(String handle) {
        Count c = INSTANCE.byHandle.remove(handle);
        return c == null ? new Count() : c;
    }

    @Override
    public void publish(LogRecord record) {
        String m = record.getMessage();
        if (m == null || !m.startsWith(PREFIX)) {
            return;
        }
        int from = m.indexOf(" through ");
        int to = m.indexOf(" refused: ");
        if (from < 0 || to < from) {
            return;
        }
        String handle = m.substring(from + " through ".length(), to);
        boolean firstEnd = m.contains("first ended:");
        byHandle.compute(handle, (k, c) -> {
            Count n = c == null ? new Count() : c;
            n.reports++;
            if (firstEnd) {
                n.withFirstEnd++;
            }
            return n;
        });
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
