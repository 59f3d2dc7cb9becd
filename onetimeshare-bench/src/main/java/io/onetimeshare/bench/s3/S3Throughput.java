package io.onetimeshare.bench.s3;

import io.onetimeshare.s3.S3BodyStore;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 37's "fast": a body of SIZE MiB put and got with the S3 client alone (S3BodyStore: the AWS SDK, the same part
 * size, no server) against the same bytes created and opened through the server with {@code --body-store s3}, both on
 * the same S3 API in the same run, ROUNDS times each in turn; prints the medians in MB/s and the ratios as JSON.
 * {@code onetimeshare-bench/s3-compare.sh} starts s3proxy, Redis and the server and runs this. With FILE (SIZE MiB),
 * each round also puts that file and gets it back into a new file beside it, as {@code ots share} reads a file and
 * {@code ots open} writes one: the ceiling of a tool that moves files, beside the one of bytes made and dropped in
 * memory.
 *   S3Throughput ENDPOINT BUCKET CREDENTIALS_FILE SERVER_BASE SIZE_MIB ROUNDS [FILE]
 */
public final class S3Throughput {
  private S3Throughput() {
  }

  /** SIZE bytes of pseudo-random data, generated as read (no file, no memory). */
  static InputStream bytes(long size, long seed) {
    return new InputStream() {
      final SplittableRandom r = new SplittableRandom(seed);
      long left = size;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        left--;
        return r.nextInt(256);
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        for (int i = 0; i < n; i += 8) {
          long v = r.nextLong();
          for (int j = 0; j < 8 && i + j < n; j++) {
            b[off + i + j] = (byte) (v >>> (8 * j));
          }
        }
        left -= n;
        return n;
      }
    };
  }

  static long drain(InputStream in) throws Exception {
    byte[] b = new byte[1 << 16];
    long n = 0;
    int r;
    while ((r = in.read(b)) > 0) {
      n += r;
    }
    return n;
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  public static void main(String[] a) throws Exception {
    URI endpoint = URI.create(a[0]);
    String bucket = a[1];
    Path credentials = Path.of(a[2]);
    String server = a[3];
    long size = Long.parseLong(a[4]) << 20;
    int rounds = Integer.parseInt(a[5]);
    java.util.Optional<Path> fileArg = a.length > 6 ? java.util.Optional.of(Path.of(a[6]))
        : java.util.Optional.empty();
    S3BodyStore store = S3BodyStore.builder(bucket).endpoint(endpoint).pathStyle(true).credentialsFile(credentials)
        .prefix("bench/").build();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Pattern id = Pattern.compile("\"id\":\"([^\"]+)\"");
    Pattern key = Pattern.compile("\"key\":\"([^\"]+)\"");
    List<Double> sdkPut = new ArrayList<>();
    List<Double> sdkGet = new ArrayList<>();
    List<Double> create = new ArrayList<>();
    List<Double> open = new ArrayList<>();
    List<Double> filePut = new ArrayList<>();
    List<Double> fileGet = new ArrayList<>();
    double mb = size / 1e6;
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      store.write("r" + round, bytes(size, round));
      long t1 = System.nanoTime();
      try (InputStream in = store.read("r" + round).orElseThrow().stream()) {
        if (drain(in) != size) {
          throw new IllegalStateException("short read");
        }
      }
      long t2 = System.nanoTime();
      store.delete("r" + round);
      sdkPut.add(mb / ((t1 - t0) / 1e9));
      sdkGet.add(mb / ((t2 - t1) / 1e9));
      if (fileArg.isPresent()) {
        Path file = fileArg.get();
        long f0 = System.nanoTime();
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
          store.write("f" + round, in);
        }
        long f1 = System.nanoTime();
        Path copy = file.resolveSibling(file.getFileName() + ".got");
        try (InputStream in = store.read("f" + round).orElseThrow().stream()) {
          java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        long f2 = System.nanoTime();
        if (java.nio.file.Files.size(copy) != size) {
          throw new IllegalStateException("short file");
        }
        java.nio.file.Files.delete(copy);
        store.delete("f" + round);
        filePut.add(mb / ((f1 - f0) / 1e9));
        fileGet.add(mb / ((f2 - f1) / 1e9));
      }

      long seed = 100L + round;
      long t3 = System.nanoTime();
      HttpResponse<String> c = http.send(HttpRequest.newBuilder(URI.create(server + "/api/secrets"))
          .header("Content-Type", "application/octet-stream").timeout(Duration.ofMinutes(10))
          .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
              () -> bytes(size, seed)), size)).build(), HttpResponse.BodyHandlers.ofString());
      long t4 = System.nanoTime();
      if (c.statusCode() != 201) {
        throw new IllegalStateException("create: " + c.statusCode() + " " + c.body());
      }
      Matcher mi = id.matcher(c.body());
      Matcher mk = key.matcher(c.body());
      if (!mi.find() || !mk.find()) {
        throw new IllegalStateException(c.body());
      }
      // the open read as ots reads it (HttpURLConnection): java.net.http's reader tops out far below the server
      java.net.HttpURLConnection oc = (java.net.HttpURLConnection) URI.create(server + "/api/secrets/"
          + mi.group(1) + "/open").toURL().openConnection();
      oc.setRequestMethod("POST");
      oc.setDoOutput(true);
      oc.setRequestProperty("Content-Type", "application/json");
      try (java.io.OutputStream out = oc.getOutputStream()) {
        out.write(("{\"key\":\"" + mk.group(1) + "\"}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      int status = oc.getResponseCode();
      long got;
      try (InputStream in = oc.getInputStream()) {
        got = drain(in);
      }
      long t5 = System.nanoTime();
      if (status != 200 || got != size) {
        throw new IllegalStateException("open: " + status + ", " + got + " bytes");
      }
      create.add(mb / ((t4 - t3) / 1e9));
      open.add(mb / ((t5 - t4) / 1e9));
    }
    store.close();
    String files = fileArg.isEmpty() ? "" : String.format(Locale.ROOT, ",\"sdk_put_file_mb_s\":%.0f,"
        + "\"sdk_get_file_mb_s\":%.0f", median(filePut), median(fileGet));
    System.out.printf(Locale.ROOT, "{\"mib\":%d,\"rounds\":%d,\"sdk_put_mb_s\":%.0f,\"sdk_get_mb_s\":%.0f%s,"
        + "\"server_create_mb_s\":%.0f,\"server_open_mb_s\":%.0f,\"create_vs_put\":%.2f,\"open_vs_get\":%.2f}%n",
        size >> 20, rounds, median(sdkPut), median(sdkGet), files, median(create), median(open),
        median(create) / median(sdkPut), median(open) / median(sdkGet));
  }
}
