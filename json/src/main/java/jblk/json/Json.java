package jblk.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader (RFC 8259) for machine output: fio's {@code --output-format=json}
 * (jblk's own and real fio's) and {@code nbdinfo --json}. Objects become {@link Map}s (in order),
 * arrays {@link List}s, numbers {@link Double}, plus String, Boolean and null. A duplicate key, a
 * raw control character in a string or trailing text is an error. One concept, a few dozen lines:
 * not worth a dependency.
 */
public final class Json {
    private final String s;
    private int i;

    private Json(String s, int start) {
        this.s = s;
        this.i = start;
    }

    /** Parses {@code text} as exactly one JSON value (white space around it allowed). */
    public static Object parse(String text) {
        return new Json(text, 0).document();
    }

    /**
     * Parses a tool's output: text before the first '{' or '[' (fio and nbdinfo print notes
     * there) is skipped, the rest must be one JSON value.
     */
    public static Object parseToolOutput(String text) {
        int start = 0;
        while (start < text.length() && text.charAt(start) != '{' && text.charAt(start) != '[') {
            start++;
        }
        return new Json(text, start).document();
    }

    /** Follows a path of object keys and array indices: {@code at(root, "jobs", 0, "read", "iops")}. */
    public static Object at(Object root, Object... path) {
        Object cur = root;
        for (Object p : path) {
            if (p instanceof Integer i && cur instanceof List<?> l) {
                cur = l.get(i);
            } else if (cur instanceof Map<?, ?> m) {
                cur = m.get(String.valueOf(p));
            } else {
                throw new IllegalArgumentException("no " + p + " in " + (cur == null ? "null"
                        : cur.getClass().getSimpleName()));
            }
            if (cur == null) {
                throw new IllegalArgumentException("no field " + p);
            }
        }
        return cur;
    }

    /** The number at {@code path} (see {@link #at}). */
    public static double number(Object root, Object... path) {
        return num(at(root, path));
    }

    /** {@code o} as an object; an error naming what it is otherwise. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(Object o) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("JSON: not an object: " + o);
        }
        return (Map<String, Object>) o;
    }

    /** {@code o} as an array; an error naming what it is otherwise. */
    @SuppressWarnings("unchecked")
    public static List<Object> arr(Object o) {
        if (!(o instanceof List)) {
            throw new IllegalArgumentException("JSON: not an array: " + o);
        }
        return (List<Object>) o;
    }

    /** {@code o} as a number; an error naming what it is otherwise. */
    public static double num(Object o) {
        if (!(o instanceof Double d)) {
            throw new IllegalArgumentException("JSON: not a number: " + o);
        }
        return d;
    }

    private Object document() {
        Object v = value();
        ws();
        if (i != s.length()) {
            throw error("trailing text");
        }
        return v;
    }

    private Object value() {
        ws();
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        switch (s.charAt(i)) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", true);
            case 'f':
                return literal("false", false);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            ws();
            String k = string();
            ws();
            expect(':');
            if (m.containsKey(k)) {
                throw error("duplicate key " + k);
            }
            m.put(k, value());
            ws();
            if (peek() != ',') {
                expect('}');
                return m;
            }
            i++;
        }
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            l.add(value());
            ws();
            if (peek() != ',') {
                expect(']');
                return l;
            }
            i++;
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            sb.append(c == '\\' ? escape() : c);
        }
    }

    private char escape() {
        if (i >= s.length()) {
            throw error("unterminated string");
        }
        char e = s.charAt(i++);
        switch (e) {
            case 'n':
                return '\n';
            case 't':
                return '\t';
            case 'r':
                return '\r';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'u':
                if (i + 4 > s.length()) {
                    throw error("short \\u escape");
                }
                i += 4;
                return (char) Integer.parseInt(s.substring(i - 4, i), 16);
            default:
                return e;
        }
    }

    private Double number() {
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        if (start == i) {
            throw error("unexpected character '" + s.charAt(i) + "'");
        }
        try {
            return Double.valueOf(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw error("bad number " + s.substring(start, i));
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error("expected " + word);
        }
        i += word.length();
        return v;
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("JSON: " + what + " at offset " + i);
    }
}
