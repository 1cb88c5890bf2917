package jblk.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * fio's live status line: rewritten in place with {@code \r} on a terminal, silent otherwise
 * (a null stream), so logs and pipes get only the report.
 */
final class Progress {
    private final PrintStream out;
    private final int total;
    private final long start = System.nanoTime();
    private int done;
    private int lastLen;

    Progress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
    }

    void show(String what) {
        if (out == null) {
            return;
        }
        double el = (System.nanoTime() - start) / 1e9;
        String eta = done == 0 ? "" : String.format(Locale.ROOT, " eta %.0fs", el / done * (total - done));
        String s = String.format(Locale.ROOT, "[%d/%d runs, %.0fs%s] %s", done, total, el, eta, what);
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
