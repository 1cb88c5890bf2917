package jblk.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * fio's live status line: rewritten in place with {@code \r} on a terminal, silent otherwise
 * (a null stream), so logs and pipes get only the report.
 */
final class Progress {
    private final PrintStream out;
    private final double maxS;
    private final long start = System.nanoTime();
    private int done;
    private int lastLen;

    /** {@code maxS}: the time the run may take at most (it may end earlier), shown with the elapsed time. */
    Progress(PrintStream out, double maxS) {
        this.out = out;
        this.maxS = maxS;
    }

    void show(String what) {
        if (out == null) {
            return;
        }
        double el = (System.nanoTime() - start) / 1e9;
        String s = String.format(Locale.ROOT, "[%d runs, %.0fs of at most %.0fs] %s", done, el, maxS, what);
        print(s);
    }

    void done(String what) {
        done++;
        show(what);
    }

    void clear() {
        if (out == null || lastLen == 0) {
            return;
        }
        out.print("\r" + " ".repeat(lastLen) + "\r");
        out.flush();
        lastLen = 0;
    }

    private void print(String s) {
        String pad = s.length() < lastLen ? " ".repeat(lastLen - s.length()) : "";
        out.print("\r" + s + pad);
        out.flush();
        lastLen = s.length();
    }
}
