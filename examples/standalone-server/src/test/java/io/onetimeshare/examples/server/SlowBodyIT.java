package io.onetimeshare.examples.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The minimum data rate on its own: a body trickling in below it is cut off, not waited for. */
class SlowBodyIT {
  @Test
  void aTricklingBodyIsCutOff() throws Exception {
    try (StandaloneServer server = StandaloneServer.start(ServerOptions.parse(new String[] {"--port", "0", "--bind",
        "127.0.0.1", "--rate-open", "off", "--min-data-rate", "1024"}, Map.of()));
         Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write(("POST /api/secrets/AAAAAAAAAAAAAAAAAAAAAA/open HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
          + "\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long start = System.nanoTime();
      long deadline = start + TimeUnit.SECONDS.toNanos(15);
      boolean cut = false;
      StringBuilder answer = new StringBuilder();
      InputStream in = s.getInputStream();
      while (!cut && System.nanoTime() < deadline) {
        try {
          out.write(' ');
          out.flush();
        } catch (IOException closed) {
          cut = true;
          break;
        }
        try {
          int b;
          while ((b = in.read()) >= 0) {
            answer.append((char) b);
          }
          cut = true; // end of stream: the server closed it
        } catch (java.net.SocketTimeoutException wait) {
          cut = answer.length() > 0;
        } catch (IOException reset) {
          cut = true;
        }
      }
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println("slow body: cut off after " + ms + " ms; answer: " + answer.toString().split("\r\n")[0]);
      assertTrue(cut, "a body trickling at 2 bytes/s was still being waited for after 15 s");
      assertTrue(answer.toString().startsWith("HTTP/1.1 408"), answer.toString());
      assertTrue(answer.toString().contains("\"error\":\"request_timeout\""), answer.toString());
      assertTrue(ms >= 2_500, "not before the grace period: " + ms + " ms");
    }
  }
}
