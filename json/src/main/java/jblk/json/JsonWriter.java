package jblk.json;

import java.util.Locale;

/**
 * A small streaming JSON writer (objects, arrays, strings, numbers), indented as fio indents its
 * output; {@link Json} reads it back. Written by hand: the documents jblk writes (fio's schema, the
 * compare report) are small and fixed, and a JSON library would be the largest dependency of the
 * tools for forty lines of code.
 */
public final class JsonWriter {
    private final StringBuilder sb = new StringBuilder();
    private int depth;
    private boolean first = true;

    /** An empty document; the first value written is its root. */
    public JsonWriter() {
    }

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter beginObject(String name) {
        name(name);
        return openValue('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray(String name) {
        name(name);
        return openValue('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    public JsonWriter field(String name, String value) {
        name(name);
        quote(value);
        return this;
    }

    /** A string element of the array being written. */
    public JsonWriter value(String value) {
        separator();
        quote(value);
        return this;
    }

    public JsonWriter field(String name, long value) {
        name(name);
        sb.append(value);
        return this;
    }

    /** A double with six decimals, as fio prints its floating fields; non-finite values as 0. */
    public JsonWriter field(String name, double value) {
        name(name);
        sb.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%.6f", value) : "0.000000");
        return this;
    }

    /** A double, or null when there is no value. */
    public JsonWriter fieldOrNull(String name, Double value) {
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
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** The document, with a final newline. */
    @Override
    public String toString() {
        return sb.toString() + "\n";
    }
}
