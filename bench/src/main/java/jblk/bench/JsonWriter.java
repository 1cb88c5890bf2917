package jblk.bench;

import java.util.Locale;

/**
 * A small streaming JSON writer (objects, arrays, strings, numbers), indented as fio indents its
 * output. Written by hand: the two documents jblk writes are small and fixed, and a JSON library
 * would be the bench module's largest dependency for forty lines of code.
 */
final class JsonWriter {
    private final StringBuilder sb = new StringBuilder();
    private int depth;
    private boolean first = true;

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter beginObject(String name) {
        name(name);
        return openValue('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray(String name) {
        name(name);
        return openValue('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    JsonWriter field(String name, String value) {
        name(name);
        quote(value);
        return this;
    }

    JsonWriter field(String name, long value) {
        name(name);
        sb.append(value);
        return this;
    }

    /** A double with six decimals, as fio prints its floating fields; non-finite values as 0. */
    JsonWriter field(String name, double value) {
        name(name);
        sb.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.6f", value) : "0.000000");
        return this;
    }

    /** A double, or null when there is no value. */
    JsonWriter fieldOrNull(String name, Double value) {
        if (value == null) {
            name(name);
            sb.append("null");
            return this;
        }
        return field(name, value.doubleValue());
    }

    private JsonWriter open(char c) {
        separator();
        sb.append(c);
        depth++;
        first = true;
        return this;
    }

    private JsonWriter openValue(char c) {
        sb.append(c);
        depth++;
        first = true;
        return this;
    }

    private JsonWriter close(char c) {
        depth--;
        if (!first) {
            newline();
        }
        sb.append(c);
        first = false;
        return this;
    }

    private void name(String name) {
        separator();
        quote(name);
        sb.append(" : ");
    }

    private void separator() {
        if (depth == 0) {
            return;
        }
        if (!first) {
            sb.append(',');
        }
        newline();
        first = false;
    }

    private void newline() {
        sb.append('\n');
        for (int i = 0; i < depth; i++) {
            sb.append("  ");
        }
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString() + "\n";
    }
}
