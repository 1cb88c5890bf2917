package jblk.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON reader on fio's and nbdinfo's shapes, its strictness, and the writer read back. */
class JsonTest {
    @Test
    void readsFioShapedOutputAfterANote() {
        String text = "fio: connected to NBD server\n{\"fio version\" : \"fio-3.33\", \"jobs\" : [ { "
                + "\"jobname\" : \"x\","
                + " \"error\" : 0, \"read\" : { \"iops\" : 23456.78, \"clat_ns\" : { \"percentile\" : "
                + "{ \"99.000000\" : 41984 } } }, \"ok\" : true, \"none\" : null, \"esc\" : \"a\\\"b\\u00e9\\n\","
                + " \"neg\" : -1.5e3 } ] }";
        Object j = Json.parseToolOutput(text);
        assertEquals(23456.78, Json.number(j, "jobs", 0, "read", "iops"));
        assertEquals(41984.0, Json.number(j, "jobs", 0, "read", "clat_ns", "percentile", "99.000000"));
        assertEquals(true, Json.at(j, "jobs", 0, "ok"));
        assertEquals("a\"b\u00e9\n", Json.at(j, "jobs", 0, "esc"));
        assertEquals(-1500.0, Json.number(j, "jobs", 0, "neg"));
        assertEquals(null, ((Map<?, ?>) Json.at(j, "jobs", 0)).get("none"));
        assertEquals(List.of(), Json.parse("[]"));
    }

    @Test
    void rejectsBrokenInputAndMissingFields() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": }"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.at(Json.parse("{\"a\": 1}"), "b"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("note\n{}"), "strict: no text before the value");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"), "duplicate key");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"a\nb\""), "raw newline in a string");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"ab"), "unterminated string");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,"), "unexpected end");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1e"), "bad number");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.num(Json.parse("\"x\"")));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
    }

    @Test
    void readsBackWhatTheWriterWrites() {
        String doc = new JsonWriter().beginObject().field("name", "a\"b\\c\n\u0001").field("n", 42L)
                .field("x", 1.5).fieldOrNull("none", null).beginArray("jobs").beginObject().field("k", "v")
                .endObject().endArray().endObject().toString();
        Map<String, Object> m = Json.obj(Json.parse(doc));
        assertEquals("a\"b\\c\n\u0001", m.get("name"));
        assertEquals(42.0, Json.num(m.get("n")));
        assertEquals(1.5, Json.number(m, "x"));
        assertTrue(m.containsKey("none") && m.get("none") == null);
        assertEquals("v", Json.at(m, "jobs", 0, "k"));
        assertEquals(1, Json.arr(m.get("jobs")).size());
    }

    @Test
    void writesStringElementsOfAnArray() {
        String doc = new JsonWriter().beginObject().beginArray("names").value("a::b").value("c\"d").endArray()
                .beginArray("empty").endArray().endObject().toString();
        Map<String, Object> m = Json.obj(Json.parse(doc));
        assertEquals(List.of("a::b", "c\"d"), Json.arr(m.get("names")));
        assertEquals(List.of(), Json.arr(m.get("empty")));
    }
}
