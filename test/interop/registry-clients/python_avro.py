"""Python confluent-kafka's SchemaRegistryClient and Avro serializer against a registry.

Usage: python_avro.py <registry-url> <topic>
Registers a value schema through the serializer (auto-register), serializes records, reads
them back through the deserializer, evolves the schema compatibly (a field with a default),
checks an incompatible change is refused, and prints what it saw as JSON on stdout.
"""
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

url, topic = sys.argv[1], sys.argv[2]
client = SchemaRegistryClient({"url": url})
subject = f"{topic}-value"

V1 = json.dumps({
    "type": "record", "name": "User", "namespace": "hub.test",
    "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}],
})
V2 = json.dumps({
    "type": "record", "name": "User", "namespace": "hub.test",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "name", "type": "string"},
        {"name": "email", "type": ["null", "string"], "default": None},
    ],
})
BAD = json.dumps({
    "type": "record", "name": "User", "namespace": "hub.test",
    "fields": [{"name": "id", "type": "long"}, {"name": "age", "type": "int"}],
})

ctx = SerializationContext(topic, MessageField.VALUE)
out = {}

ser1 = AvroSerializer(client, V1)
frames = [ser1({"id": i, "name": f"user-{i}"}, ctx) for i in range(3)]
out["magic"] = [f[0] for f in frames]
out["ids_in_frames"] = sorted({int.from_bytes(f[1:5], "big") for f in frames})

de = AvroDeserializer(client)
out["decoded_v1"] = [de(f, ctx) for f in frames]

ser2 = AvroSerializer(client, V2)
frame2 = ser2({"id": 9, "name": "nine", "email": "n@example.com"}, ctx)
out["decoded_v2"] = de(frame2, ctx)
out["versions"] = client.get_versions(subject)
latest = client.get_latest_version(subject)
out["latest"] = {"version": latest.version, "schema_id": latest.schema_id}
registered = client.get_schema(latest.schema_id)
out["latest_fields"] = [f["name"] for f in json.loads(registered.schema_str)["fields"]]
out["compatible_bad"] = client.test_compatibility(subject, Schema(BAD, "AVRO"))
try:
    client.register_schema(subject, Schema(BAD, "AVRO"))
    out["bad_error"] = None
except SchemaRegistryError as e:
    out["bad_error"] = {"http_status": e.http_status_code, "error_code": e.error_code}
try:
    client.get_schema(987654321)
    out["missing_error"] = None
except SchemaRegistryError as e:
    out["missing_error"] = {"http_status": e.http_status_code, "error_code": e.error_code}
print(json.dumps(out))
