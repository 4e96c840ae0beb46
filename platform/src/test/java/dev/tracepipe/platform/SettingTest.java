package dev.tracepipe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SettingTest {
  private static final Setting WINDOW = Setting.of("test.window", Duration.ofMinutes(1), "a window")
      .formerly("tracepipe.test.window");

  @Test
  void defaultIsWrittenAsInAPropertiesFileAndUsedWhenNothingIsSet() {
    assertThat(WINDOW.defaultValue()).isEqualTo("1m");
    assertThat(WINDOW.duration(TracepipeConfig.of(Map.of()))).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void formerKeyIsStillReadWithAWarningAndTheNewKeyWins() {
    Logger logger = (Logger) LoggerFactory.getLogger(Setting.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      assertThat(WINDOW.duration(TracepipeConfig.of(Map.of("tracepipe.test.window", "10s"))))
          .isEqualTo(Duration.ofSeconds(10));
      assertThat(WINDOW.duration(TracepipeConfig.of(Map.of("tracepipe.test.window", "10s", "test.window", "20s"))))
          .isEqualTo(Duration.ofSeconds(20));
    } finally {
      logger.detachAppender(appender);
    }
    assertThat(appender.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .contains("tracepipe.test.window", "deprecated", "use test.window");
  }

  @Test
  void badValueNamesTheKey() {
    assertThatThrownBy(() -> WINDOW.duration(TracepipeConfig.of(Map.of("test.window", "soon"))))
        .hasMessageContaining("test.window=soon");
  }

  @Test
  void durationsFormatExactlyAndParseBack() {
    for (String text : new String[] {"1h", "5m", "90s", "250ms", "1500ns"}) {
      assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.text(1_300_000_000L)).isEqualTo("1300.0ms");
  }
}
