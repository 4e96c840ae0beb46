package dev.tracepipe.platform;

/**
 * A deployable stage: names itself, starts its Kafka Streams application and HTTP routes, and returns what stops them.
 * Each stage module has one, {@code XxxStage}, with a public {@code NAME} and a {@code main} that calls
 * {@link StageRunner#runStandalone(Stage, String[])}.
 */
public interface Stage {
  /** The stage's name: its application id suffix, state directory, log prefix and {@code tracepipe stage} argument. */
  String name();

  AutoCloseable start(StageContext context) throws Exception;
}
