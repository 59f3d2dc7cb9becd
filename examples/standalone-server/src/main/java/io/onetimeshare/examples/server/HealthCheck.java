package io.onetimeshare.examples.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container health check that needs no curl or shell in the image: {@code java -cp @/app/jib-classpath-file
 * io.onetimeshare.examples.server.HealthCheck [url]} exits 0 when the URL answers 200 within 3 s, else 1.
 */
public final class HealthCheck {
  private HealthCheck() {}

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/health";
    try {
      HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
          .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.discarding());
      System.exit(r.statusCode() == 200 ? 0 : 1);
    } catch (Exception e) {
      System.exit(1);
    } catch (Throwable t) {
      System.exit(1);
    }
  }
}
