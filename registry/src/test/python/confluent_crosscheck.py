#!/usr/bin/python3
"""Drives Confluent's Python client (confluent_kafka.avro) against a schema registry, for cross-checks.

Commands (input on stdin, one JSON or hex document; output one JSON document on stdout):
  check                                   exit 0 when confluent_kafka.avro and avro import
  serialize   URL TOPIC SCHEMA_FILE       record JSON -> {"hex": framed value bytes}
  deserialize URL                         {"hex": ...} -> {"record": decoded value}
  produce     URL BOOTSTRAP TOPIC SCHEMA_FILE
                                          JSON list of records -> {"produced": n}, sent with AvroProducer
"""
import binascii
import json
import sys


def load_schema(path):
    from confluent_kafka import avro
    with open(path, encoding="utf-8") as f:
        return avro.loads(f.read())


def serialize(url, topic, schema_file):
    from confluent_kafka.avro import CachedSchemaRegistryClient, MessageSerializer
    record = json.load(sys.stdin)
    client = CachedSchemaRegistryClient({"url": url})
    framed = MessageSerializer(client).encode_record_with_schema(topic, load_schema(schema_file), record)
    return {"hex": binascii.hexlify(framed).decode("ascii")}


def deserialize(url):
    from confluent_kafka.avro import CachedSchemaRegistryClient, MessageSerializer
    framed = binascii.unhexlify(json.load(sys.stdin)["hex"])
    client = CachedSchemaRegistryClient({"url": url})
    return {"record": MessageSerializer(client).decode_message(framed)}


def produce(url, bootstrap, topic, schema_file):
    from confluent_kafka.avro import AvroProducer
    records = json.load(sys.stdin)
    errors = []

    def on_delivery(err, msg):
        if err is not None:
            errors.append(str(err))

    producer = AvroProducer({
        "bootstrap.servers": bootstrap,
        "schema.registry.url": url,
        "enable.idempotence": True,
        "acks": "all",
        "message.timeout.ms": 30000,
    }, default_value_schema=load_schema(schema_file))
    for record in records:
        producer.produce(topic=topic, value=record, on_delivery=on_delivery)
    remaining = producer.flush(45)
    if remaining or errors:
        raise RuntimeError("undelivered: %d, errors: %s" % (remaining, errors))
    return {"produced": len(records)}


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "check":
        import avro  # noqa: F401
        import confluent_kafka.avro  # noqa: F401
        import confluent_kafka
        result = {"confluent_kafka": confluent_kafka.version()[0], "librdkafka": confluent_kafka.libversion()[0]}
    elif command == "serialize":
        result = serialize(*args)
    elif command == "deserialize":
        result = deserialize(*args)
    elif command == "produce":
        result = produce(*args)
    else:
        raise SystemExit("unknown command " + command)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv)
