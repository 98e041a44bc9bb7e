// Test harness for test/interop/connect-transforms/transforms.test.ts: runs Apache Kafka's own
// Single Message Transforms on the cases the test writes. One JVM run answers all cases:
//   java TransformsHarness cases.json  →  one JSON array on stdout, one result per case.
// A case: {"class", "config": {...}, "schemas": bool, "topic", "partition", "offset",
// "timestamp", "key": json, "value": json}. Key and value are read with Kafka's JsonConverter
// (schemas.enable = "schemas": an envelope {"schema", "payload"} or plain JSON) into a
// SinkRecord; the result is {"dropped": true}, {"error": "<exception class>"} or the record:
// topic, partition, timestamp, key and value written back by the same converter, and headers
// as [name, JsonConverter envelope text]. With "predicate": true the class is a Predicate and the
// result is {"matches": bool}; "headers": [[name, string]...] adds string headers first.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

public class TransformsHarness {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonConverter converter(boolean schemas, boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", String.valueOf(schemas)), isKey);
        return c;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        JsonNode cases = MAPPER.readTree(Files.readAllBytes(Path.of(args[0])));
        ArrayNode results = NODES.arrayNode();
        JsonConverter headerConverter = converter(true, false);
        for (JsonNode c : cases) {
            ObjectNode result = results.addObject();
            result.put("id", c.get("id").asText());
            boolean schemas = c.get("schemas").asBoolean();
            JsonConverter keyConverter = converter(schemas, true);
            JsonConverter valueConverter = converter(schemas, false);
            String topic = c.get("topic").asText();
            try {
                SchemaAndValue key = keyConverter.toConnectData(topic, c.get("key").isNull() ? null : MAPPER.writeValueAsBytes(c.get("key")));
                SchemaAndValue value = valueConverter.toConnectData(topic, c.get("value").isNull() ? null : MAPPER.writeValueAsBytes(c.get("value")));
                SinkRecord record = new SinkRecord(topic, c.get("partition").asInt(), key.schema(), key.value(), value.schema(), value.value(),
                    c.get("offset").asLong(), c.get("timestamp").asLong(), org.apache.kafka.common.record.TimestampType.CREATE_TIME);
                Map<String, String> config = new HashMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = c.get("config").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    config.put(e.getKey(), e.getValue().asText());
                }
                if (c.has("headers")) {
                    for (JsonNode h : c.get("headers")) record.headers().addString(h.get(0).asText(), h.get(1).asText());
                }
                if (c.path("predicate").asBoolean()) {
                    org.apache.kafka.connect.transforms.predicates.Predicate<SinkRecord> p =
                        (org.apache.kafka.connect.transforms.predicates.Predicate<SinkRecord>) Class.forName(c.get("class").asText()).getDeclaredConstructor().newInstance();
                    p.configure(config);
                    result.put("matches", p.test(record));
                    continue;
                }
                Transformation<SinkRecord> t = (Transformation<SinkRecord>) Class.forName(c.get("class").asText()).getDeclaredConstructor().newInstance();
                t.configure(config);
                SinkRecord out = t.apply(record);
                if (out == null) {
                    result.put("dropped", true);
                    continue;
                }
                result.put("topic", out.topic());
                result.put("partition", out.kafkaPartition());
                result.put("timestamp", out.timestamp());
                result.put("key", text(keyConverter.fromConnectData(out.topic(), out.keySchema(), out.key())));
                result.put("value", text(valueConverter.fromConnectData(out.topic(), out.valueSchema(), out.value())));
                ArrayNode headers = result.putArray("headers");
                for (Header h : out.headers()) {
                    headers.addArray().add(h.key()).add(text(headerConverter.fromConnectData(out.topic(), h.schema(), h.value())));
                }
            } catch (Exception e) {
                result.removeAll();
                result.put("id", c.get("id").asText());
                result.put("error", e.getClass().getSimpleName());
                result.put("message", String.valueOf(e.getMessage()));
            }
        }
        System.out.println(MAPPER.writeValueAsString(results));
    }
}
