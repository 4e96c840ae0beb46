package dev.tracepipe.ingest;

import dev.tracepipe.avro.TraceFragment;
import dev.tracepipe.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

/** Writes what an HTTP request yielded to Kafka and waits for every acknowledgement, so success means durable. */
final class SpanPublisher implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final String fragmentTopic;
  private final String deadLetterTopic;
  private final TraceFragments fragments;
  private final Duration ackTimeout;

  /** Kafka did not take the records; the status tells the client whether to slow down (429) or wait (503). */
  static final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    PublishException(int status, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  SpanPublisher(Producer<byte[], byte[]> producer, String fragmentTopic, String deadLetterTopic,
      AvroSerde<TraceFragment> fragmentSerde, Duration ackTimeout) {
    this.producer = Objects.requireNonNull(producer, "producer == null");
    this.fragmentTopic = Objects.requireNonNull(fragmentTopic, "fragmentTopic == null");
    this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic == null");
    this.fragments = new TraceFragments(fragmentSerde, fragmentTopic);
    this.ackTimeout = Objects.requireNonNull(ackTimeout, "ackTimeout == null");
  }

  /** Sends accepted spans as trace fragments and dead letters with their headers, then waits for all acks. */
  void publish(SpanIngestor.Result result, String path, String client) throws PublishException {
    List<Future<RecordMetadata>> acks = new ArrayList<>(result.accepted().size() + result.rejected().size());
    try {
      for (TraceFragments.Encoded fragment : fragments.encode(result.accepted())) {
        acks.add(producer.send(new ProducerRecord<>(fragmentTopic, null,
            fragment.traceId().getBytes(StandardCharsets.UTF_8), fragment.value())));
      }
      for (DeadLetter letter : result.rejected()) {
        byte[] key = letter.traceId() == null ? null : letter.traceId().getBytes(StandardCharsets.UTF_8);
        acks.add(producer.send(new ProducerRecord<>(deadLetterTopic, null, key, letter.payload(),
            DeadLetterHeaders.fromHttp(letter, path, client))));
      }
    } catch (BufferExhaustedException e) {
      throw new PublishException(429, "ingest is behind: the Kafka producer buffer is full", e);
    } catch (TimeoutException e) {
      throw new PublishException(503, "Kafka is unavailable: " + e.getMessage(), e);
    }
    awaitAcks(acks);
  }

  private void awaitAcks(List<Future<RecordMetadata>> acks) throws PublishException {
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    for (Future<RecordMetadata> ack : acks) {
      try {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new PublishException(503, "Kafka did not acknowledge within " + ackTimeout, e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        boolean transientFailure = cause instanceof RetriableException || !(cause instanceof KafkaException);
        throw new PublishException(transientFailure ? 503 : 500, "Kafka rejected the write: " + cause, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishException(503, "interrupted while waiting for Kafka", e);
      }
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
