package dev.tracepipe.alerts;

import dev.tracepipe.avro.LatencyAlert;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads the alerts topic and hands every alert to Alertmanager. Each task owns its delivery thread, started and
 * stopped with the task, so every alert is sent by the one instance that owns its partition.
 */
public final class AlertmanagerForwarder implements Processor<String, LatencyAlert, Void, Void> {

  private final AlertmanagerSettings settings;
  private final MeterRegistry meters;
  private AlertmanagerDelivery delivery;

  private AlertmanagerForwarder(AlertmanagerSettings settings, MeterRegistry meters) {
    this.settings = settings;
    this.meters = meters;
  }

  /** Adds the forwarding when {@link AlertmanagerSettings#URL} is set; otherwise leaves the topology as it is. */
  public static void attach(StreamsBuilder builder, AlertmanagerSettings settings, String alertsTopic,
      Serde<String> keys, Serde<LatencyAlert> alerts, MeterRegistry meters) {
    if (settings.url().isEmpty()) {
      return;
    }
    builder.stream(alertsTopic, Consumed.with(keys, alerts).withName("alertmanager-alerts-source"))
        .process(() -> new AlertmanagerForwarder(settings, meters), Named.as("alertmanager-forwarder"));
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    delivery = new AlertmanagerDelivery(settings, meters, "alertmanager-" + context.taskId());
  }

  @Override
  public void process(Record<String, LatencyAlert> record) {
    if (record.value() != null) {
      delivery.offer(record.value());
    }
  }

  @Override
  public void close() {
    if (delivery != null) {
      delivery.close();
    }
  }
}
