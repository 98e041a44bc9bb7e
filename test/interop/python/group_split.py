"""Two confluent-kafka (librdkafka) consumers in one group share a topic's partitions: creates
the topic with PARTITIONS partitions (AdminClient), waits until both members hold part of it,
produces COUNT keyed records (idempotent producer), reads until all have arrived, commits, and
prints one JSON object with each member's assignment and records and its committed offsets.
Usage: python group_split.py BOOTSTRAP TOPIC PARTITIONS COUNT GROUP"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic


def main() -> None:
    bootstrap, topic, partitions, count, group = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]

    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)]).values():
        future.result(30)

    members = []
    for name in ("a", "b"):
        state = {"name": name, "assigned": [], "records": []}

        def on_assign(consumer, assignment, state=state):
            state["assigned"] = sorted(tp.partition for tp in assignment)

        def on_revoke(consumer, assignment, state=state):
            state["assigned"] = []

        consumer = Consumer({
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "session.timeout.ms": 10000,
            "heartbeat.interval.ms": 500,
        })
        consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
        members.append((consumer, state))

    def poll_all(timeout: float) -> None:
        for consumer, state in members:
            msg = consumer.poll(timeout)
            if msg is None:
                continue
            if msg.error():
                raise KafkaException(msg.error())
            state["records"].append({"partition": msg.partition(), "offset": msg.offset(), "key": msg.key().decode(), "value": msg.value().decode()})

    deadline = time.monotonic() + 60
    while not (all(s["assigned"] for _, s in members) and sorted(p for _, s in members for p in s["assigned"]) == list(range(partitions))):
        if time.monotonic() > deadline:
            sys.exit(f"members never shared the partitions: {[s['assigned'] for _, s in members]}")
        poll_all(0.1)
    assigned = [list(s["assigned"]) for _, s in members]

    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "compression.type": "lz4"})
    for i in range(count):
        producer.produce(topic, key=f"key-{i}".encode(), value=f"value-{i}".encode())
        producer.poll(0)
    if producer.flush(30) != 0:
        sys.exit("records still undelivered after 30 s")

    deadline = time.monotonic() + 60
    while sum(len(s["records"]) for _, s in members) < count and time.monotonic() < deadline:
        poll_all(0.2)
    # A little longer, so that a record delivered twice would show up.
    for _ in range(5):
        poll_all(0.1)

    committed = {}
    for consumer, state in members:
        if state["records"]:
            consumer.commit(asynchronous=False)
        for tp in consumer.committed(consumer.assignment(), timeout=10):
            committed[tp.partition] = tp.offset
    for consumer, _ in members:
        consumer.close()
    print(json.dumps({"assigned": assigned, "records": [s["records"] for _, s in members], "committed": committed}))


if __name__ == "__main__":
    main()
