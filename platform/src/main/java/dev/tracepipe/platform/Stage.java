package dev.tracepipe.platform;

/** A deployable stage: starts its Kafka Streams application and HTTP routes, and returns what stops them. */
@FunctionalInterface
public interface Stage {
  AutoCloseable start(StageContext context) throws Exception;
}
