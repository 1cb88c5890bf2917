package jblk.bench;

import java.util.Locale;

/**
 * fio's number formats: sizes with binary suffixes ({@code 4k}, {@code 1g}, {@code 4KiB}; fio's
 * default kb_base is 1024), times in seconds unless suffixed ({@code 500ms}, {@code 2s},
 * {@code 1m}), and the short forms fio prints ({@code IOPS=6915k}, {@code BW=26.4GiB/s}).
 */
final class Units {
    private Units() {
    }

    /**
     * A size in bytes: {@code 4096}, {@code 4k}, {@code 4K}, {@code 4KiB}, {@code 4kb}, {@code 1m}, {@code 2g},
     * {@code 1t}.
     */
    static long parseSize(String option, String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ib")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("b") && v.length() > 1 && Character.isLetter(v.charAt(v.length() - 2))) {
            v = v.substring(0, v.length() - 1);
        }
        long mult = 1;
        if (!v.isEmpty()) {
            char c = v.charAt(v.length() - 1);
            int shift = "kmgtp".indexOf(c);
            if (shift >= 0) {
                mult = 1L << (10 * (shift + 1));
                v = v.substring(0, v.length() - 1);
            } else if (c == 'b') {
                v = v.substring(0, v.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0 || (mult > 1 && n > Long.MAX_VALUE / mult)) {
                throw new NumberFormatException();
            }
            return n * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + "=" + s
                    + " is invalid: expected a size in bytes, optionally with k, m, g, t (powers of 1024), e.g. 4k");
        }
    }

    /**
     * A duration in nanoseconds: a plain number is seconds (fio's runtime); {@code us}, {@code ms}, {@code s},
     * {@code m}, {@code h}.
     */
    static long parseTimeNs(String option, String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        double mult = 1e9;
        String[][] suffixes = {{"us", "1e3"}, {"usec", "1e3"}, {"ms", "1e6"}, {"msec", "1e6"}, {"sec", "1e9"},
            {"s", "1e9"}, {"min", "6e10"}, {"m", "6e10"}, {"h", "3.6e12"}};
        for (String[] suf : suffixes) {
            if (v.endsWith(suf[0]) && v.length() > suf[0].length()) {
                String num = v.substring(0, v.length() - suf[0].length());
                if (Character.isDigit(num.charAt(num.length() - 1)) || num.endsWith(".")) {
                    v = num;
                    mult = Double.parseDouble(suf[1]);
                    break;
                }
            }
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return Math.round(d * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + "=" + s
                    + " is invalid: expected a time, in seconds unless suffixed with us, ms, s, m or h"
                    + " (e.g. 2, 500ms)");
        }
    }

    /** fio's short count: {@code 812}, {@code 6915k}, {@code 12.3M}. */
    static String shortCount(double n) {
        if (n < 10_000) {
            return Long.toString(Math.round(n));
        }
        if (n < 10_000_000) {
            return Math.round(n / 1000) + "k";
        }
        return String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }

    /** A rate in bytes/s as fio prints it: binary units, then decimal in parentheses. */
    static String bandwidth(double bytesPerSec) {
        return binary(bytesPerSec) + "/s (" + decimal(bytesPerSec) + "/s)";
    }

    static String binary(double bytes) {
        String[] u = {"B", "KiB", "MiB", "GiB", "TiB"};
        int i = 0;
        while (bytes >= 1024 * 10 && i < u.length - 1) {
            bytes /= 1024;
            i++;
        }
        if (i > 0 && bytes >= 1024) {
            bytes /= 1024;
            i++;
        }
        return fmt3(bytes) + u[i];
    }

    static String decimal(double bytes) {
        String[] u = {"B", "kB", "MB", "GB", "TB"};
        int i = 0;
        while (bytes >= 1000 * 10 && i < u.length - 1) {
            bytes /= 1000;
            i++;
        }
        if (i > 0 && bytes >= 1000) {
            bytes /= 1000;
            i++;
        }
        return fmt3(bytes) + u[i];
    }

    /** Three significant digits, as fio does ({@code 26.4}, {@code 812}, {@code 1.25}). */
    private static String fmt3(double x) {
        if (x >= 100 || (x == Math.rint(x) && x >= 10)) {
            return Long.toString(Math.round(x));
        }
        if (x >= 10) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        return String.format(Locale.ROOT, "%.2f", x);
    }

    /** IOPS for a table: {@code 25.31M}, {@code 812.4k}. */
    static String iops(double n) {
        if (n >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (n >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", n);
    }
}
