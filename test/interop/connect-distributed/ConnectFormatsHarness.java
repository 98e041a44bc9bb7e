// Runs Apache Kafka Connect 4.3.1's own code over the cases connect-formats.test.ts sends (a JSON
// array on stdin) and prints one JSON object per case: the bytes Kafka writes for connect group
// protocol metadata and assignments, what Kafka reads back from given bytes, the JSON values its
// config and status stores write through the internal converter, and murmur2 of given bytes.
// A case Kafka refuses comes back with a "failure" message.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.distributed.ConnectProtocol;
import org.apache.kafka.connect.runtime.distributed.ExtendedAssignment;
import org.apache.kafka.connect.runtime.distributed.ExtendedWorkerState;
import org.apache.kafka.connect.runtime.distributed.IncrementalCooperativeConnectProtocol;
import org.apache.kafka.connect.storage.KafkaConfigBackingStore;
import org.apache.kafka.connect.storage.KafkaStatusBackingStore;
import org.apache.kafka.connect.util.ConnectorTaskId;

public class ConnectFormatsHarness {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HexFormat HEX = HexFormat.of();

    public static void main(String[] args) throws Exception {
        JsonConverter converter = new JsonConverter();
        converter.configure(Collections.singletonMap("schemas.enable", "false"), false);
        JsonNode cases = MAPPER.readTree(System.in);
        ArrayNode out = MAPPER.createArrayNode();
        for (JsonNode c : cases) {
            ObjectNode result = out.addObject();
            result.put("id", c.get("id").asText());
            try {
                run(c, result, converter);
            } catch (Exception e) {
                result.put("failure", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        System.out.println(MAPPER.writeValueAsString(out));
    }

    static void run(JsonNode c, ObjectNode result, JsonConverter converter) throws Exception {
        switch (c.get("op").asText()) {
            case "metadata": {
                String url = c.get("url").asText();
                long offset = c.get("offset").asLong();
                ByteBuffer buf;
                if (c.get("version").asInt() == 0) {
                    buf = ConnectProtocol.serializeMetadata(new ConnectProtocol.WorkerState(url, offset));
                } else {
                    boolean sessioned = c.get("version").asInt() >= 2;
                    JsonNode a = c.get("allocation");
                    ExtendedAssignment allocation = a.isNull() ? ExtendedAssignment.empty() : assignment(a, (short) c.get("version").asInt());
                    buf = IncrementalCooperativeConnectProtocol.serializeMetadata(new ExtendedWorkerState(url, offset, allocation), sessioned);
                }
                result.put("hex", hex(buf));
                break;
            }
            case "assignment": {
                short version = (short) c.get("version").asInt();
                ByteBuffer buf = version == 0
                        ? ConnectProtocol.serializeAssignment(new ConnectProtocol.Assignment((short) c.get("error").asInt(), c.get("leader").asText(),
                                c.get("leaderUrl").asText(), c.get("offset").asLong(), strings(c.get("connectors")), tasks(c.get("tasks"))))
                        : IncrementalCooperativeConnectProtocol.serializeAssignment(assignment(c, version), version >= 2);
                result.put("hex", hex(buf));
                break;
            }
            case "decode-metadata": {
                ByteBuffer buf = ByteBuffer.wrap(HEX.parseHex(c.get("hex").asText()));
                if (c.get("version").asInt() == 0) {
                    ConnectProtocol.WorkerState s = ConnectProtocol.deserializeMetadata(buf);
                    result.put("url", s.url());
                    result.put("offset", s.offset());
                } else {
                    ExtendedWorkerState s = IncrementalCooperativeConnectProtocol.deserializeMetadata(buf);
                    result.put("url", s.url());
                    result.put("offset", s.offset());
                    if (s.assignment() == null) result.putNull("allocation");
                    else describe(s.assignment(), result.putObject("allocation"));
                }
                break;
            }
            case "decode-assignment": {
                ByteBuffer buf = ByteBuffer.wrap(HEX.parseHex(c.get("hex").asText()));
                if (c.get("version").asInt() == 0) {
                    ConnectProtocol.Assignment a = ConnectProtocol.deserializeAssignment(buf);
                    result.put("error", a.error());
                    result.put("leader", a.leader());
                    result.put("leaderUrl", a.leaderUrl());
                    result.put("offset", a.offset());
                    putIds(result, a.connectors(), a.tasks(), "connectors", "tasks");
                } else {
                    describe(IncrementalCooperativeConnectProtocol.deserializeAssignment(buf), result);
                }
                break;
            }
            case "murmur2":
                result.put("hash", Utils.murmur2(HEX.parseHex(c.get("hex").asText())));
                break;
            case "config-value": {
                Schema schema = (Schema) KafkaConfigBackingStore.class.getField(c.get("schema").asText()).get(null);
                result.put("text", text(converter.fromConnectData("t", schema, struct(schema, c.get("value")))));
                break;
            }
            case "status-value": {
                Schema schema = statusSchema("STATUS_SCHEMA_V0");
                result.put("text", text(converter.fromConnectData("t", schema, struct(schema, c.get("value")))));
                break;
            }
            case "topic-status-value": {
                Schema inner = statusSchema("TOPIC_STATUS_VALUE_SCHEMA_V0");
                Schema outer = statusSchema("TOPIC_STATUS_SCHEMA_V0");
                result.put("text", text(converter.fromConnectData("t", outer, Collections.singletonMap("topic", struct(inner, c.get("value"))))));
                break;
            }
            case "offset-key": {
                // A new HashMap filled by put() one key at a time, like the maps typical connectors
                // hand Connect (a copy constructor or putAll would pre-size it and iterate differently).
                Map<String, Object> partition = new java.util.HashMap<>();
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = MAPPER.convertValue(c.get("partition"), LinkedHashMap.class);
                parsed.forEach(partition::put);
                result.put("text", text(converter.fromConnectData("t", null, Arrays.asList(c.get("connector").asText(), partition))));
                break;
            }
            default:
                throw new IllegalArgumentException("unknown op " + c.get("op").asText());
        }
    }

    static Schema statusSchema(String name) throws Exception {
        Field f = KafkaStatusBackingStore.class.getDeclaredField(name);
        f.setAccessible(true);
        return (Schema) f.get(null);
    }

    static Struct struct(Schema schema, JsonNode value) {
        Struct s = new Struct(schema);
        for (org.apache.kafka.connect.data.Field field : schema.fields()) {
            JsonNode v = value.get(field.name());
            if (v == null || v.isNull()) continue;
            switch (field.schema().type()) {
                case STRING: s.put(field, v.asText()); break;
                case INT32: s.put(field, v.asInt()); break;
                case INT64: s.put(field, v.asLong()); break;
                case BOOLEAN: s.put(field, v.asBoolean()); break;
                case MAP: {
                    Map<String, String> m = new LinkedHashMap<>();
                    v.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
                    s.put(field, m);
                    break;
                }
                default: throw new IllegalArgumentException("unsupported field type " + field.schema().type());
            }
        }
        return s;
    }

    static ExtendedAssignment assignment(JsonNode a, short version) {
        return new ExtendedAssignment(version, (short) a.get("error").asInt(), a.get("leader").asText(), a.get("leaderUrl").asText(),
                a.get("offset").asLong(), strings(a.get("connectors")), tasks(a.get("tasks")), strings(a.get("revokedConnectors")),
                tasks(a.get("revokedTasks")), a.get("delay").asInt());
    }

    static void describe(ExtendedAssignment a, ObjectNode out) {
        out.put("version", a.version());
        out.put("error", a.error());
        out.put("leader", a.leader());
        out.put("leaderUrl", a.leaderUrl());
        out.put("offset", a.offset());
        putIds(out, a.connectors(), a.tasks(), "connectors", "tasks");
        putIds(out, a.revokedConnectors(), a.revokedTasks(), "revokedConnectors", "revokedTasks");
        out.put("delay", a.delay());
    }

    static void putIds(ObjectNode out, java.util.Collection<String> connectors, java.util.Collection<ConnectorTaskId> tasks, String cName, String tName) {
        ArrayNode cs = out.putArray(cName);
        connectors.forEach(cs::add);
        ArrayNode ts = out.putArray(tName);
        tasks.forEach(t -> ts.addArray().add(t.connector()).add(t.task()));
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<ConnectorTaskId> tasks(JsonNode array) {
        List<ConnectorTaskId> out = new ArrayList<>();
        array.forEach(n -> out.add(new ConnectorTaskId(n.get(0).asText(), n.get(1).asInt())));
        return out;
    }

    static String hex(ByteBuffer buf) {
        byte[] bytes = new byte[buf.remaining()];
        buf.duplicate().get(bytes);
        return HEX.formatHex(bytes);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
