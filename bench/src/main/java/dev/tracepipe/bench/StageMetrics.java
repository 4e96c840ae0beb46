package dev.tracepipe.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads counters and gauges from a stage process's Prometheus {@code /metrics}. */
final class StageMetrics {
  /** The Prometheus name of a Micrometer counter: dots as underscores, and {@code _total}. */
  static String counter(String micrometerName) {
    return gauge(micrometerName) + "_total";
  }

  /** The Prometheus name of a Micrometer gauge: dots as underscores. */
  static String gauge(String micrometerName) {
    return micrometerName.replace('.', '_');
  }

  /** The Prometheus base name of a Micrometer timer: dots as underscores, and {@code _seconds}. */
  static String timer(String micrometerName) {
    return gauge(micrometerName) + "_seconds";
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;

  StageMetrics(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Whether {@code /health} answers 200: every stage in the process is running. */
  boolean healthy() {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** One scrape. */
  Scrape scrape() throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("/metrics answered " + response.statusCode());
    }
    return new Scrape(response.body());
  }

  /** The text of one scrape. */
  record Scrape(String text) {
    /** One series: its labels as written (empty, or from the opening brace to the closing one) and its value. */
    private record Series(String labels, double value) {}

    /** The sum of every series of the metric (all label values), 0 when it has none. */
    double sum(String metric) {
      return series(metric).stream().mapToDouble(Series::value).sum();
    }

    /** Each series of the metric by the value of one of its labels (series without the label left out). */
    Map<String, Double> byLabel(String metric, String label) {
      Map<String, Double> values = new LinkedHashMap<>();
      String key = label + "=\"";
      for (Series series : series(metric)) {
        int at = series.labels().indexOf(key);
        if (at >= 0) {
          int from = at + key.length();
          values.put(series.labels().substring(from, series.labels().indexOf('"', from)), series.value());
        }
      }
      return values;
    }

    /** The sum over series whose labels contain the given text, e.g. {@code area="heap"}. */
    double sum(String metric, String labelText) {
      return series(metric).stream().filter(s -> s.labels().contains(labelText)).mapToDouble(Series::value).sum();
    }

    /** The series of exactly this metric: not of another whose name starts with it. */
    private List<Series> series(String metric) {
      List<Series> series = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.startsWith(metric) && line.length() > metric.length()
            && (line.charAt(metric.length()) == '{' || line.charAt(metric.length()) == ' ')) {
          int end = line.lastIndexOf(' ');
          series.add(new Series(line.substring(metric.length(), end).trim(),
              Double.parseDouble(line.substring(end + 1))));
        }
      }
      return series;
    }
  }
}
