package dev.gantry.runtime.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a gateway's management port as a scraper does: HTTP/1.1, a 5 s bound on every request. */
public final class Scrape {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Scrape() {}

  /** The body of {@code path} on the management port. */
  public static String get(int managementPort, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of the /metrics line whose name and labels match {@code series} (a regex), or null if there is none. */
  public static Double metric(int managementPort, String series) throws Exception {
    Matcher line = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(get(managementPort, "/metrics"));
    return line.find() ? Double.parseDouble(line.group(1)) : null;
  }
}
