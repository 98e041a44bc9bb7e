// Test harness for test/interop/connect-json/json-converter.test.ts: runs Apache Kafka's own
// JsonConverter, SimpleHeaderConverter, String/ByteArray/number converters and their ConfigDefs
// on the cases the test writes, so the test can compare the hub's converters with Kafka's byte
// for byte. One JVM run answers all
// the cases: java JsonConverterHarness cases.json  →  one JSON array on stdout, one result per case.
//
// Values cross the process boundary as "typed values", a small JSON encoding that keeps what
// plain JSON would lose (int8 vs int64, float32, bytes, map keys that are not strings, decimals):
//   null | {"int8": 1} {"int16": 1} {"int32": 1} {"int64": "1"} {"float32": "1.5"} {"float64": "1.5"}
//   {"boolean": true} {"string": "s"} {"bytes": "<base64>"} {"array": [tv...]} {"map": [[tv, tv]...]}
//   {"struct": {"field": tv...}} {"decimal": {"unscaled": "123", "scale": 2}}
//   {"date": epochMillis} {"time": epochMillis} {"timestamp": epochMillis}
// Floats travel as the strings Java's Float/Double.toString print, so no precision is lost.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

public class JsonConverterHarness {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOPIC = "harness-topic";

    /** Renders schemas in the results; default settings, so decimals defaults print as base64. */
    private static final JsonConverter SCHEMA_RENDERER = new JsonConverter();

    static {
        SCHEMA_RENDERER.configure(Map.of(), false);
    }

    public static void main(String[] args) throws Exception {
        JsonNode cases = MAPPER.readTree(Files.readAllBytes(Path.of(args[0])));
        ArrayNode results = NODES.arrayNode();
        for (JsonNode testCase : cases) {
            ObjectNode result = results.addObject();
            result.put("id", testCase.path("id").asText());
            try {
                run(testCase, result);
            } catch (Throwable e) {
                result.put("error", describe(e));
            }
        }
        System.out.println(MAPPER.writeValueAsString(results));
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" | caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    private static void run(JsonNode testCase, ObjectNode result) throws Exception {
        String op = testCase.path("op").asText();
        switch (op) {
            case "encode": {
                JsonConverter converter = jsonConverter(testCase);
                Schema schema = schemaOf(converter, testCase.get("schema"));
                Object value = build(testCase.get("value"), schema);
                byte[] bytes = converter.fromConnectData(TOPIC, new RecordHeaders(), schema, value);
                putBytes(result, bytes);
                // And what Kafka reads back from its own bytes.
                ObjectNode decoded = result.putObject("decoded");
                try {
                    putDecoded(decoded, converter.toConnectData(TOPIC, new RecordHeaders(), bytes));
                } catch (Throwable e) {
                    decoded.put("error", describe(e));
                }
                break;
            }
            case "decode": {
                JsonConverter converter = jsonConverter(testCase);
                SchemaAndValue decoded = converter.toConnectData(TOPIC, new RecordHeaders(), inputBytes(testCase));
                putDecoded(result, decoded);
                break;
            }
            case "header-encode": {
                SimpleHeaderConverter converter = new SimpleHeaderConverter();
                converter.configure(Map.of());
                Schema schema = schemaOf(SCHEMA_RENDERER, testCase.get("schema"));
                Object value = build(testCase.get("value"), schema);
                byte[] bytes = converter.fromConnectHeader(TOPIC, "h", schema, value);
                putBytes(result, bytes);
                ObjectNode decoded = result.putObject("decoded");
                try {
                    putDecoded(decoded, converter.toConnectHeader(TOPIC, "h", bytes));
                } catch (Throwable e) {
                    decoded.put("error", describe(e));
                }
                break;
            }
            case "header-decode": {
                SimpleHeaderConverter converter = new SimpleHeaderConverter();
                converter.configure(Map.of());
                putDecoded(result, converter.toConnectHeader(TOPIC, "h", inputBytes(testCase)));
                break;
            }
            case "converter-encode": {
                org.apache.kafka.connect.storage.Converter converter = otherConverter(testCase);
                Schema schema = schemaOf(SCHEMA_RENDERER, testCase.get("schema"));
                Object value = build(testCase.get("value"), schema);
                byte[] bytes = converter.fromConnectData(TOPIC, schema, value);
                putBytes(result, bytes);
                ObjectNode decoded = result.putObject("decoded");
                try {
                    putDecoded(decoded, converter.toConnectData(TOPIC, bytes));
                } catch (Throwable e) {
                    decoded.put("error", describe(e));
                }
                break;
            }
            case "converter-decode": {
                putDecoded(result, otherConverter(testCase).toConnectData(TOPIC, inputBytes(testCase)));
                break;
            }
            case "configdef": {
                Object plugin = Class.forName(testCase.path("class").asText()).getDeclaredConstructor().newInstance();
                ConfigDef def = plugin instanceof SimpleHeaderConverter
                        ? ((SimpleHeaderConverter) plugin).config()
                        : ((org.apache.kafka.connect.storage.Converter) plugin).config();
                result.set("config", configKeys(def));
                break;
            }
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    private static JsonConverter jsonConverter(JsonNode testCase) {
        Map<String, String> config = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = testCase.path("config").fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            config.put(entry.getKey(), entry.getValue().asText());
        }
        JsonConverter converter = new JsonConverter();
        converter.configure(config, testCase.path("isKey").asBoolean(false));
        return converter;
    }

    /** Another converter (String, ByteArray, a number converter) by class name, configured. */
    private static org.apache.kafka.connect.storage.Converter otherConverter(JsonNode testCase) throws Exception {
        org.apache.kafka.connect.storage.Converter converter = (org.apache.kafka.connect.storage.Converter)
                Class.forName(testCase.path("class").asText()).getDeclaredConstructor().newInstance();
        Map<String, String> config = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = testCase.path("config").fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            config.put(entry.getKey(), entry.getValue().asText());
        }
        converter.configure(config, testCase.path("isKey").asBoolean(false));
        return converter;
    }

    private static Schema schemaOf(JsonConverter converter, JsonNode schema) {
        return schema == null || schema.isNull() ? null : converter.asConnectSchema(schema);
    }

    private static byte[] inputBytes(JsonNode testCase) {
        if (testCase.hasNonNull("base64")) return Base64.getDecoder().decode(testCase.get("base64").asText());
        if (testCase.hasNonNull("text")) return testCase.get("text").asText().getBytes(StandardCharsets.UTF_8);
        return null;
    }

    private static void putBytes(ObjectNode result, byte[] bytes) {
        if (bytes == null) result.putNull("base64");
        else result.put("base64", Base64.getEncoder().encodeToString(bytes));
    }

    private static void putDecoded(ObjectNode result, SchemaAndValue decoded) {
        Schema schema = decoded.schema();
        result.set("schema", schema == null ? NODES.nullNode() : SCHEMA_RENDERER.asJsonSchema(schema));
        result.set("value", dump(decoded.value(), schema));
    }

    /** Builds a Connect value from a typed value, following the schema for structs. */
    private static Object build(JsonNode tv, Schema schema) {
        if (tv == null || tv.isNull()) return null;
        String tag = tv.fieldNames().next();
        JsonNode v = tv.get(tag);
        switch (tag) {
            case "int8": return (byte) v.asInt();
            case "int16": return (short) v.asInt();
            case "int32": return v.asInt();
            case "int64": return Long.parseLong(v.asText());
            case "float32": return Float.parseFloat(v.asText());
            case "float64": return Double.parseDouble(v.asText());
            case "boolean": return v.asBoolean();
            case "string": return v.asText();
            case "bytes": return Base64.getDecoder().decode(v.asText());
            case "decimal": return new BigDecimal(new BigInteger(v.get("unscaled").asText()), v.get("scale").asInt());
            case "date":
            case "time":
            case "timestamp": return new java.util.Date(v.asLong());
            case "array": {
                List<Object> list = new ArrayList<>();
                for (JsonNode element : v) list.add(build(element, schema == null ? null : schema.valueSchema()));
                return list;
            }
            case "map": {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonNode entry : v) {
                    map.put(build(entry.get(0), schema == null ? null : schema.keySchema()),
                            build(entry.get(1), schema == null ? null : schema.valueSchema()));
                }
                return map;
            }
            case "struct": {
                Struct struct = new Struct(schema);
                Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    struct.put(field.getKey(), build(field.getValue(), schema.field(field.getKey()).schema()));
                }
                return struct;
            }
            default:
                throw new IllegalArgumentException("unknown typed value tag " + tag);
        }
    }

    /** The typed value of a Connect value; the schema names the logical types. */
    private static JsonNode dump(Object value, Schema schema) {
        if (value == null) return NODES.nullNode();
        ObjectNode tv = NODES.objectNode();
        String logical = schema == null ? null : schema.name();
        if (Date.LOGICAL_NAME.equals(logical)) return tv.put("date", ((java.util.Date) value).getTime());
        if (Time.LOGICAL_NAME.equals(logical)) return tv.put("time", ((java.util.Date) value).getTime());
        if (Timestamp.LOGICAL_NAME.equals(logical)) return tv.put("timestamp", ((java.util.Date) value).getTime());
        if (value instanceof Byte) return tv.put("int8", (Byte) value);
        if (value instanceof Short) return tv.put("int16", (Short) value);
        if (value instanceof Integer) return tv.put("int32", (Integer) value);
        if (value instanceof Long) return tv.put("int64", value.toString());
        if (value instanceof Float) return tv.put("float32", value.toString());
        if (value instanceof Double) return tv.put("float64", value.toString());
        if (value instanceof Boolean) return tv.put("boolean", (Boolean) value);
        if (value instanceof String) return tv.put("string", (String) value);
        if (value instanceof byte[]) return tv.put("bytes", Base64.getEncoder().encodeToString((byte[]) value));
        if (value instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return tv.put("bytes", Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof BigDecimal) {
            BigDecimal decimal = (BigDecimal) value;
            ObjectNode d = tv.putObject("decimal");
            d.put("unscaled", decimal.unscaledValue().toString());
            d.put("scale", decimal.scale());
            return tv;
        }
        if (value instanceof java.util.Date) return tv.put("timestamp", ((java.util.Date) value).getTime());
        if (value instanceof List) {
            ArrayNode array = tv.putArray("array");
            for (Object element : (List<?>) value) array.add(dump(element, schema == null ? null : schema.valueSchema()));
            return tv;
        }
        if (value instanceof Map) {
            ArrayNode map = tv.putArray("map");
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                ArrayNode pair = map.addArray();
                pair.add(dump(entry.getKey(), schema == null ? null : schema.keySchema()));
                pair.add(dump(entry.getValue(), schema == null ? null : schema.valueSchema()));
            }
            return tv;
        }
        if (value instanceof Struct) {
            Struct struct = (Struct) value;
            ObjectNode fields = tv.putObject("struct");
            for (Field field : struct.schema().fields()) {
                fields.set(field.name(), dump(struct.getWithoutDefault(field.name()), field.schema()));
            }
            return tv;
        }
        return tv.put("unknown", value.getClass().getName() + ": " + value);
    }

    /** A ConfigDef in the shape of GET /connector-plugins/{plugin}/config, documentation left out. */
    private static ArrayNode configKeys(ConfigDef def) {
        ArrayNode keys = NODES.arrayNode();
        for (ConfigDef.ConfigKey key : def.configKeys().values()) {
            ObjectNode info = keys.addObject();
            info.put("name", key.name);
            info.put("type", key.type.name());
            info.put("required", !key.hasDefault());
            info.put("default_value", key.hasDefault() ? ConfigDef.convertToString(key.defaultValue, key.type) : null);
            info.put("importance", key.importance.name());
            info.put("group", key.group);
            info.put("width", key.width.name());
            info.put("display_name", key.displayName);
            ArrayNode dependents = info.putArray("dependents");
            key.dependents.forEach(dependents::add);
            info.put("order_in_group", key.orderInGroup);
        }
        return keys;
    }
}
