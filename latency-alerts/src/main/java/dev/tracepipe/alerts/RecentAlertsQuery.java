package dev.tracepipe.alerts;

import dev.tracepipe.platform.http.HttpException;
import dev.tracepipe.platform.http.HttpRequest;
import dev.tracepipe.platform.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/alerts/recent?limit=}: the newest alerts written, newest first; trace alerts with their critical
 * path, blame and structural difference, host and release alerts in their latest state.
 */
public final class RecentAlertsQuery {
  private static final int DEFAULT_LIMIT = 50;

  private final RecentAlerts recent;

  public RecentAlertsQuery(RecentAlerts recent) {
    this.recent = recent;
  }

  public HttpResponse handle(HttpRequest request) {
    int limit = request.query("limit").map(RecentAlertsQuery::parseLimit).orElse(DEFAULT_LIMIT);
    List<Map<String, Object>> rows = recent.newest(limit).stream().map(e -> {
      Map<String, Object> row = AlertRows.row(e.alert());
      row.put("writtenMillis", e.writtenMillis());
      return row;
    }).toList();
    return HttpResponse.json(200, Map.of("alerts", rows));
  }

  private static int parseLimit(String value) {
    try {
      int limit = Integer.parseInt(value.trim());
      if (limit >= 1) return limit;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new HttpException(400, "limit must be a positive number: " + value);
  }
}
