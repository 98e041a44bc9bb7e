// How a task's Kafka clients are configured: Connect's defaults, the worker's prefixed settings,
// the connector's overrides under the override policy, and the mapping onto kafkajs options.
import { describe, expect, it } from "vitest";
import { CompressionTypes } from "kafkajs";
import { ConfigException, ConnectException } from "../../../../connect/api/index.ts";
import { adminProps, consumerProps, consumerSettings, producerProps, producerSettings } from "../../../../connect/runtime/kafka-clients.ts";
import { WorkerConfig } from "../../../../connect/runtime/worker-config.ts";
import { isRetriableKafkaError, isTooLargeError } from "../../../../connect/runtime/kafka-errors.ts";

const worker = (extra: Record<string, string> = {}): WorkerConfig =>
  new WorkerConfig(
    {
      "bootstrap.servers": "b1:9092,b2:9092",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "offset.storage.file.filename": "/tmp/x",
      "security.protocol": "PLAINTEXT",
      "producer.compression.type": "lz4",
      "consumer.max.poll.records": "100",
      "admin.request.timeout.ms": "7000",
      ...extra,
    },
    false,
  );
const id = { connector: "c", task: 2 };

describe("client settings", () => {
  it("gives producers Connect's defaults, then the worker's producer.*, then the connector's overrides", () => {
    const props = producerProps(worker(), id, { "producer.override.acks": "1", "producer.override.linger.ms": "5" });
    expect(props).toMatchObject({ "bootstrap.servers": "b1:9092,b2:9092", acks: "1", "max.in.flight.requests.per.connection": "1", "client.id": "connector-producer-c-2", "compression.type": "lz4", "linger.ms": "5" });
    const settings = producerSettings(props);
    expect(settings).toMatchObject({ acks: 1, compression: CompressionTypes.LZ4, maxRequestBytes: 1048576, bufferMemory: 33554432, timeoutMs: 30000 });
    expect(settings.config.maxInFlightRequests).toBe(1);
    expect(producerSettings(producerProps(worker(), id, {})).acks).toBe(-1);
  });

  it("gives consumers the group connect-<connector>, no auto commit and earliest", () => {
    const props = consumerProps(worker(), id, {});
    expect(props).toMatchObject({ "group.id": "connect-c", "client.id": "connector-consumer-c-2", "enable.auto.commit": "false", "auto.offset.reset": "earliest", "max.poll.records": "100" });
    const settings = consumerSettings(props);
    expect(settings).toMatchObject({ groupId: "connect-c", fromBeginning: true, maxPollRecords: 100 });
    expect(consumerSettings(consumerProps(worker(), id, { "consumer.override.auto.offset.reset": "latest", "consumer.override.group.id": "mine" }))).toMatchObject({ groupId: "mine", fromBeginning: false });
    expect(() => consumerSettings({ "auto.offset.reset": "none" })).toThrow(ConfigException);
  });

  it("maps the Java consumer's keys onto the sink consumer, and refuses what it cannot do", () => {
    const settings = consumerSettings({
      ...consumerProps(worker(), id, {}),
      "session.timeout.ms": "10000",
      "max.poll.interval.ms": "60000",
      "partition.assignment.strategy": "org.apache.kafka.clients.consumer.RoundRobinAssignor",
      "allow.auto.create.topics": "false",
    });
    expect(settings.client).toMatchObject({ bootstrapServers: ["b1:9092", "b2:9092"], clientId: "connector-consumer-c-2", requestTimeoutMs: 30000 });
    expect(settings.group).toMatchObject({ groupId: "connect-c", sessionTimeoutMs: 10000, heartbeatIntervalMs: 3000, rebalanceTimeoutMs: 60000, autoOffsetReset: "earliest", allowAutoTopicCreation: false });
    expect(settings.group.assignors.map((a) => a.name)).toEqual(["roundrobin"]);
    expect(consumerSettings({}).group.assignors.map((a) => a.name)).toEqual(["range"]);
    expect(() => consumerSettings({ "security.protocol": "TLS" })).toThrow(ConfigException);
    expect(() => consumerSettings({ "isolation.level": "read_committed" })).toThrow(ConfigException);
  });

  it("gives admin clients the worker's un-prefixed settings too", () => {
    const props = adminProps(worker(), id, {});
    expect(props).toMatchObject({ "security.protocol": "PLAINTEXT", "request.timeout.ms": "7000", "client.id": "connector-adminclient-c-2" });
    expect(props["compression.type"]).toBeUndefined();
  });

  it("enforces connector.client.config.override.policy", () => {
    expect(() => producerProps(worker({ "connector.client.config.override.policy": "None" }), id, { "producer.override.acks": "1" })).toThrow(ConnectException);
    expect(() => producerProps(worker({ "connector.client.config.override.policy": "Principal" }), id, { "producer.override.acks": "1" })).toThrow(/does not allow 'producer.override.acks'/);
    expect(producerProps(worker({ "connector.client.config.override.policy": "Principal" }), id, { "producer.override.sasl.mechanism": "PLAIN" })["sasl.mechanism"]).toBe("PLAIN");
  });
});

describe("kafkajs errors", () => {
  it("retries what Kafka marks retriable and below-protocol failures, not the rest", () => {
    expect(isRetriableKafkaError({ name: "KafkaJSConnectionError" })).toBe(true);
    expect(isRetriableKafkaError({ name: "KafkaJSProtocolError", type: "NOT_LEADER_OR_FOLLOWER", retriable: true })).toBe(true);
    expect(isRetriableKafkaError({ name: "KafkaJSNumberOfRetriesExceeded", retriable: false, originalError: { name: "KafkaJSProtocolError", type: "REQUEST_TIMED_OUT", retriable: true } })).toBe(true);
    expect(isRetriableKafkaError({ name: "KafkaJSProtocolError", type: "MESSAGE_TOO_LARGE", retriable: false })).toBe(false);
    expect(isRetriableKafkaError({ name: "KafkaJSNumberOfRetriesExceeded", originalError: { name: "KafkaJSProtocolError", type: "TOPIC_AUTHORIZATION_FAILED", retriable: false } })).toBe(false);
    expect(isRetriableKafkaError(new TypeError("bug"))).toBe(false);
    expect(isTooLargeError({ name: "KafkaJSProtocolError", type: "MESSAGE_TOO_LARGE" })).toBe(true);
    expect(isTooLargeError({ name: "KafkaJSProtocolError", type: "REQUEST_TIMED_OUT" })).toBe(false);
  });
});
