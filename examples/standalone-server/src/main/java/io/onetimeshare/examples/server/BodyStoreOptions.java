package io.onetimeshare.examples.server;

import io.onetimeshare.servlet.OptionValues;
import io.onetimeshare.spi.BodyStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where sealed bodies go (issue 37): {@code --body-store vault} (the default: with the records, as before) or {@code
 * s3} (an S3-compatible object store; records, claims and events stay in {@code --storage}), and the object store's
 * options. Credentials come from a file or the AWS SDK's default chain (environment, profile files, container and
 * instance roles), never from an option's value.
 *
 * @param kind {@code vault} or {@code s3}
 * @param bucket the bucket (s3)
 * @param endpoint the S3 API's URL, for a store other than AWS
 * @param region the region
 * @param pathStyle path-style URLs (most S3-compatible stores)
 * @param prefix a key prefix inside the bucket
 * @param credentialsFile a two-line file: access key id, secret access key
 * @param partSize the part size of large bodies
 * @param allChecksums checksums on every request (AWS); off: only where the API requires them
 * @param sweepInterval how often expired bodies are swept
 */
public record BodyStoreOptions(String kind, String bucket, Optional<URI> endpoint, String region, boolean pathStyle,
    String prefix, Optional<Path> credentialsFile, int partSize, boolean allChecksums, Duration sweepInterval) {

  static final String USAGE = """
      Bodies in object storage (issue 37; see docs/operations.md, "Large files in object storage"):
        --body-store KIND     vault (bodies with the records, default) | s3 (an S3-compatible object store;
                              records, claims and events stay in --storage, which should then be redis)
        --s3-bucket NAME      the bucket (it must exist; the server never creates or configures one)
        --s3-endpoint URL     the S3 API's URL for a store other than AWS (MinIO, Ceph, Garage, s3proxy)
        --s3-region R         the region (default us-east-1)
        --s3-path-style on|off  host/bucket/key URLs, which most S3-compatible stores need (default off)
        --s3-prefix P         a key prefix inside the bucket, ending in '/' (default none)
        --s3-credentials-file FILE  two lines: access key id, secret access key; default: the AWS SDK's chain
                              (AWS_ACCESS_KEY_ID..., ~/.aws/credentials, container and instance roles)
        --s3-part-size SIZE   part size of large bodies and uploads, 5MB to 512MB (default 8MB: 78 GiB)
        --s3-checksums C      required (default: only where S3 requires them) | all (AWS: every request)
        --s3-sweep-interval T how often bodies past their secret's expiry are deleted (default 1m)
      """;

  static final String[] NAMES = {"body-store", "s3-bucket", "s3-endpoint", "s3-region", "s3-path-style",
      "s3-prefix", "s3-credentials-file", "s3-part-size", "s3-checksums", "s3-sweep-interval"};

  static BodyStoreOptions parse(Map<String, String> v) {
    String kind = v.getOrDefault("body-store", "vault").trim().toLowerCase(Locale.ROOT);
    if (!kind.equals("vault") && !kind.equals("s3")) {
      throw new ServerOptions.BadOption("--body-store must be vault or s3, not '" + kind + "'.");
    }
    String bucket = v.getOrDefault("s3-bucket", "");
    if (kind.equals("s3") && bucket.isBlank()) {
      throw new ServerOptions.BadOption("--body-store s3 needs --s3-bucket (an existing bucket).");
    }
    Optional<URI> endpoint = Optional.ofNullable(v.get("s3-endpoint")).map(s -> {
      try {
        URI u = URI.create(s.trim());
        if ((!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) || u.getHost() == null
            || u.getUserInfo() != null) {
          throw new IllegalArgumentException();
        }
        return u;
      } catch (IllegalArgumentException e) {
        throw new ServerOptions.BadOption("--s3-endpoint must be an http(s) URL without credentials, e.g. "
            + "https://s3.example.com");
      }
    });
    long part = ServerOptions.size(v.getOrDefault("s3-part-size", "8MB"));
    if (part < (5L << 20) || part > (512L << 20)) {
      throw new ServerOptions.BadOption("--s3-part-size must be 5MB to 512MB.");
    }
    String checksums = v.getOrDefault("s3-checksums", "required").trim().toLowerCase(Locale.ROOT);
    if (!checksums.equals("required") && !checksums.equals("all")) {
      throw new ServerOptions.BadOption("--s3-checksums must be required or all.");
    }
    Duration sweep;
    try {
      sweep = OptionValues.duration(v.getOrDefault("s3-sweep-interval", "1m"));
    } catch (io.onetimeshare.InvalidArgumentException e) {
      throw new ServerOptions.BadOption("--s3-sweep-interval: " + e.getMessage());
    }
    if (sweep.toSeconds() < 1 || sweep.toHours() > 1) {
      throw new ServerOptions.BadOption("--s3-sweep-interval must be 1s to 1h.");
    }
    String pathStyle = v.getOrDefault("s3-path-style", "off").trim().toLowerCase(Locale.ROOT);
    if (!pathStyle.matches("on|off|true|false|yes|no")) {
      throw new ServerOptions.BadOption("--s3-path-style must be on or off.");
    }
    return new BodyStoreOptions(kind, bucket.trim(), endpoint, v.getOrDefault("s3-region", "us-east-1").trim(),
        pathStyle.matches("on|true|yes"), v.getOrDefault("s3-prefix", ""),
        Optional.ofNullable(v.get("s3-credentials-file")).map(Path::of), (int) part, checksums.equals("all"), sweep);
  }

  /** The object store these options name (s3 only). */
  BodyStore open() {
    try {
      io.onetimeshare.s3.S3BodyStore.Builder b = io.onetimeshare.s3.S3BodyStore.builder(bucket).region(region)
          .pathStyle(pathStyle).prefix(prefix).partSize(partSize).allChecksums(allChecksums);
      endpoint.ifPresent(b::endpoint);
      if (credentialsFile.isPresent()) {
        b.credentialsFile(credentialsFile.get());
      }
      return b.build();
    } catch (IOException e) {
      throw new ServerOptions.BadOption("--s3-credentials-file: cannot read it (" + e.getClass().getSimpleName()
          + ").");
    } catch (IllegalArgumentException e) {
      throw new ServerOptions.BadOption("S3: " + e.getMessage());
    }
  }

  /** For the start-up line: where bodies go, without credentials. */
  String describe() {
    return kind.equals("vault") ? "with the records" : "s3://" + bucket + "/" + prefix + endpoint.map(u -> " at "
        + u).orElse("");
  }
}
