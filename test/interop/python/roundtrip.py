"""Produces N records with confluent-kafka (librdkafka) and consumes them back in a consumer
group, printing one JSON object with what was read. Used by the tests against Apache Kafka
and against the hub's broker: python roundtrip.py BOOTSTRAP TOPIC COUNT GROUP"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer


def main() -> None:
    bootstrap, topic, count, group = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True})
    delivered = []

    def on_delivery(err, msg):
        if err is not None:
            raise KafkaException(err)
        delivered.append(msg.offset())

    for i in range(count):
        producer.produce(topic, key=f"k{i}".encode(), value=f"v{i}".encode(), headers={"n": str(i)}, on_delivery=on_delivery)
    if producer.flush(30) != 0:
        sys.exit("records still undelivered after 30 s")

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    records = []
    deadline = time.monotonic() + 60
    while len(records) < count and time.monotonic() < deadline:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            raise KafkaException(msg.error())
        records.append({"key": msg.key().decode(), "value": msg.value().decode(), "headers": [[k, v.decode()] for k, v in msg.headers() or []]})
    consumer.commit(asynchronous=False)
    committed = consumer.committed(consumer.assignment(), timeout=10)
    consumer.close()
    print(json.dumps({"delivered": len(delivered), "records": records, "committed": sum(tp.offset for tp in committed)}))


if __name__ == "__main__":
    main()
