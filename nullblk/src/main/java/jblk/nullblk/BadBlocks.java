package jblk.nullblk;

import java.util.ArrayList;
import java.util.List;

/**
 * Models null_blk's bad block list ({@code struct badblocks}, configfs {@code badblocks}):
 * sector ranges that fail I/O. Written as {@code +start-end} (mark bad) and {@code -start-end}
 * (clear), inclusive, in 512-byte sectors. Reads are lock-free on an immutable snapshot; changes
 * (including {@code badblocks_once} clearing a range after it failed once) copy it.
 */
public final class BadBlocks {
    /** An empty list: no sector is bad. */
    public BadBlocks() {
    }

    /** One bad range, inclusive. */
    public record Range(long start, long end) {
    }

    private volatile long[] ranges = new long[0]; // sorted, non-overlapping [start0, end0, start1, ...]

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    /** Applies one or more comma-separated {@code +start-end} / {@code -start-end} commands. */
    public synchronized void apply(String param, String commands) {
        for (String cmd : commands.split(",")) {
            String c = cmd.trim();
            if (c.isEmpty()) {
                continue;
            }
            String format = param + "=" + commands + " is invalid: expected +start-end or -start-end"
                    + " (sectors, inclusive, start <= end), comma-separated";
            if (c.length() < 4 || (c.charAt(0) != '+' && c.charAt(0) != '-')) {
                throw new IllegalArgumentException(format);
            }
            int dash = c.indexOf('-', 1);
            if (dash < 0) {
                throw new IllegalArgumentException(format);
            }
            long start;
            long end;
            try {
                start = Long.decode(c.substring(1, dash).trim());
                end = Long.decode(c.substring(dash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(format);
            }
            if (start < 0 || end < start) {
                throw new IllegalArgumentException(format);
            }
            if (c.charAt(0) == '+') {
                set(start, end);
            } else {
                clear(start, end);
            }
        }
    }

    public synchronized void set(long start, long end) {
        List<long[]> out = new ArrayList<>();
        long s = start;
        long e = end;
        long[] r = ranges;
        for (int i = 0; i < r.length; i += 2) {
            if (r[i + 1] + 1 < s || r[i] > e + 1) {
                out.add(new long[] {r[i], r[i + 1]});
            } else {
                s = Math.min(s, r[i]);
                e = Math.max(e, r[i + 1]);
            }
        }
        out.add(new long[] {s, e});
        publish(out);
    }

    public synchronized void clear(long start, long end) {
        List<long[]> out = new ArrayList<>();
        long[] r = ranges;
        for (int i = 0; i < r.length; i += 2) {
            long a = r[i];
            long b = r[i + 1];
            if (b < start || a > end) {
                out.add(new long[] {a, b});
                continue;
            }
            if (a < start) {
                out.add(new long[] {a, start - 1});
            }
            if (b > end) {
                out.add(new long[] {end + 1, b});
            }
        }
        publish(out);
    }

    private void publish(List<long[]> list) {
        list.sort((x, y) -> Long.compare(x[0], y[0]));
        long[] r = new long[list.size() * 2];
        for (int i = 0; i < list.size(); i++) {
            r[2 * i] = list.get(i)[0];
            r[2 * i + 1] = list.get(i)[1];
        }
        ranges = r;
    }

    /**
     * {@code badblocks_check}: the first bad range overlapping {@code [sector, sector + nr)}, or
     * null when the whole span is good.
     */
    public Range check(long sector, long nr) {
        long[] r = ranges;
        long last = sector + nr - 1;
        for (int i = 0; i < r.length; i += 2) {
            if (r[i + 1] >= sector && r[i] <= last) {
                return new Range(r[i], r[i + 1]);
            }
            if (r[i] > last) {
                break;
            }
        }
        return null;
    }

    public List<Range> ranges() {
        long[] r = ranges;
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < r.length; i += 2) {
            out.add(new Range(r[i], r[i + 1]));
        }
        return out;
    }

    /** {@code badblocks_show}: "start length" per range. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Range x : ranges()) {
            sb.append(x.start()).append(' ').append(x.end() - x.start() + 1).append('\n');
        }
        return sb.toString();
    }
}
