#!/usr/bin/python3
"""Drives Confluent's Python client (confluent_kafka.avro) against a schema registry, for cross-checks.

Commands (input on stdin, one JSON or hex document; output one JSON document on stdout):
  check                                   exit 0 when confluent_kafka.avro and avro import
  serialize   URL TOPIC SCHEMA_FILE       record JSON -> {"hex": framed value bytes}
  deserialize URL                         {"hex": ...} -> {"record": decoded value}
  api         URL SUBJECT SCHEMA_FILE     exercises CachedSchemaRegistryClient's calls -> {name: result}
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


def api(url, subject, schema_file):
    from confluent_kafka.avro import CachedSchemaRegistryClient, ClientError, loads
    with open(schema_file, encoding="utf-8") as f:
        base = json.load(f)

    def with_field(field):
        changed = json.loads(json.dumps(base))
        changed["fields"].append(field)
        return loads(json.dumps(changed))

    v1 = loads(json.dumps(base))
    v2 = with_field({"name": "region", "type": "string", "default": "eu"})
    required = with_field({"name": "tenant", "type": "string"})
    client = CachedSchemaRegistryClient({"url": url})
    out = {"id1": client.register(subject, v1),
           "v2_compatible": client.test_compatibility(subject, v2),
           "required_compatible": client.test_compatibility(subject, required)}
    out["id2"] = client.register(subject, v2)
    try:
        client.register(subject, required)
        out["required_register"] = "registered"
    except ClientError as e:
        out["required_register"] = str(e)
    latest_id, _, latest_version = client.get_latest_schema(subject)
    out["latest"] = [latest_id, latest_version]
    # A second client has no cache, so every answer below comes from the registry.
    fresh = CachedSchemaRegistryClient({"url": url})
    out["check_registration_v1"] = fresh.check_registration(subject, v1)
    out["version_of_v2"] = fresh.get_version(subject, v2)
    fetched = fresh.get_by_id(out["id1"])
    out["fetched_fields"] = [f.name for f in fetched.fields]
    out["missing_id_is_none"] = fresh.get_by_id(2 ** 31 - 1) is None
    out["global_level"] = fresh.get_compatibility()
    out["set_subject_level"] = fresh.update_compatibility("FULL", subject)
    out["subject_level"] = fresh.get_compatibility(subject)
    out["deleted_versions"] = fresh.delete_subject(subject)
    out["latest_after_delete"] = list(fresh.get_latest_schema(subject))
    return out


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
    elif command == "api":
        result = api(*args)
    elif command == "produce":
        result = produce(*args)
    else:
        raise SystemExit("unknown command " + command)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv)
