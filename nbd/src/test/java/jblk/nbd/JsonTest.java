package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON reader on fio's and nbdinfo's shapes. */
class JsonTest {
    @Test
    void readsFioShapedOutputAfterANote() {
        String text = "fio: connected to NBD server\n{\"fio version\" : \"fio-3.33\", \"jobs\" : [ { \"jobname\" : \"x\","
                + " \"error\" : 0, \"read\" : { \"iops\" : 23456.78, \"clat_ns\" : { \"percentile\" : "
                + "{ \"99.000000\" : 41984 } } }, \"ok\" : true, \"none\" : null, \"esc\" : \"a\\\"b\\u00e9\\n\","
                + " \"neg\" : -1.5e3 } ] }";
        Object j = Json.parse(text);
        assertEquals(23456.78, Json.number(j, "jobs", 0, "read", "iops"));
        assertEquals(41984.0, Json.number(j, "jobs", 0, "read", "clat_ns", "percentile", "99.000000"));
        assertEquals(Boolean.TRUE, Json.at(j, "jobs", 0, "ok"));
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
    }
}
