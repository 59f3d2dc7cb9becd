package io.onetimeshare.s3;

import io.onetimeshare.spi.BodyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Sealed bodies in an S3-compatible object store (issue 37) through the AWS SDK for Java v2 and its Apache HTTP
 * client (version 5): AWS, MinIO, Ceph, Garage, s3proxy. Holds only ciphertext under the keys {@link
 * io.onetimeshare.split.SplitVault} chooses (no id in them), below an optional prefix. A body up to the part size is
 * one {@code PutObject}; a larger one is a multipart upload of parts of that size, so memory per write is one part
 * (8 MiB by default) whatever the body's size; a failed multipart write is aborted. Checksums are sent and checked
 * only where the S3 API requires them (the SDK's default since 2.30 sends CRC32 trailers that several S3-compatible
 * stores refuse); SigV4 and TLS protect the bytes in transit, AES-GCM the secrets.
 *
 * <p>Credentials come from the SDK's default chain (environment, profile files, container and instance roles) or
 * from a file ({@link Builder#credentialsFile}), never from options on a command line.
 *
 * @since 0.3
 */
public final class S3BodyStore implements BodyStore {
  private final S3Client s3;
  private final boolean ownClient;
  private final String bucket;
  private final String prefix;
  private final int partSize;

  private S3BodyStore(Builder b, S3Client s3, boolean own) {
    this.s3 = s3;
    this.ownClient = own;
    this.bucket = b.bucket;
    this.prefix = b.prefix;
    this.partSize = b.partSize;
  }

  /** A store in {@code bucket} (which must exist; the store never creates or configures buckets). */
  public static Builder builder(String bucket) {
    return new Builder(bucket);
  }

  private String object(String key) {
    return prefix + BodyStore.checkKey(key);
  }

  private static IOException failed(String what, SdkException e) {
    String detail = e instanceof S3Exception s ? s.statusCode() + " " + (s.awsErrorDetails() == null ? ""
        : s.awsErrorDetails().errorCode()) : e.getClass().getSimpleName();
    return new IOException("The object store failed to " + what + ": " + detail, e);
  }

  @Override
  public void write(String key, InputStream body) throws IOException {
    String object = object(key);
    byte[] first = body.readNBytes(partSize);
    if (first.length < partSize) {
      try {
        s3.putObject(r -> r.bucket(bucket).key(object).contentType("application/octet-stream"),
            RequestBody.fromBytes(first));
        return;
      } catch (SdkException e) {
        throw failed("store a body", e);
      }
    }
    String upload = beginParts(key);
    try {
      List<String> parts = new ArrayList<>();
      byte[] part = first;
      for (int n = 1; part.length > 0; n++) {
        if (n > 10_000) {
          throw new IOException("The body is larger than 10,000 parts of " + partSize + " bytes.");
        }
        parts.add(writePart(key, upload, n, part));
        part = body.readNBytes(partSize);
      }
      completeParts(key, upload, parts);
    } catch (IOException | RuntimeException e) {
      try {
        abortParts(key, upload);
      } catch (IOException | RuntimeException ignored) {
        // the sweeper aborts it later
      }
      throw e;
    }
  }

  @Override
  public Optional<Body> read(String key) throws IOException {
    String object = object(key);
    try {
      ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(object));
      Long length = in.response().contentLength();
      return Optional.of(new Body(in, length == null ? -1 : length));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw failed("read a body", e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    String object = object(key);
    try {
      s3.deleteObject(r -> r.bucket(bucket).key(object));
    } catch (NoSuchKeyException e) {
      // gone already
    } catch (SdkException e) {
      throw failed("delete a body", e);
    }
  }

  @Override
  public List<String> keysBefore(String bound, int max) throws IOException {
    List<String> out = new ArrayList<>();
    String boundObject = prefix + bound;
    try {
      String token = null;
      do {
        String t = token;
        ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix)
            .maxKeys(Math.min(1000, max)).continuationToken(t));
        for (S3Object o : page.contents()) {
          if (o.key().compareTo(boundObject) >= 0 || out.size() >= max) {
            return out; // keys come in order: none after this one is due
          }
          out.add(o.key().substring(prefix.length()));
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw failed("list bodies", e);
    }
    return out;
  }

  @Override
  public String beginParts(String key) throws IOException {
    String object = object(key);
    try {
      return s3.createMultipartUpload(r -> r.bucket(bucket).key(object).contentType("application/octet-stream"))
          .uploadId();
    } catch (SdkException e) {
      throw failed("begin a body in parts", e);
    }
  }

  @Override
  public String writePart(String key, String writeId, int number, byte[] data) throws IOException {
    return uploadPart(key, writeId, number, data.length, RequestBody.fromBytes(data));
  }

  /** The pieces go to the store as they are, streamed in order (no copy of the part). */
  @Override
  public String writePart(String key, String writeId, int number, List<byte[]> pieces) throws IOException {
    List<byte[]> parts = List.copyOf(pieces);
    long length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    // a fresh stream for each attempt the SDK makes (a retry, or a signer that reads the body first)
    return uploadPart(key, writeId, number, length, RequestBody.fromContentProvider(() -> new SequenceInputStream(
        Collections.enumeration(parts.stream().map(ByteArrayInputStream::new).toList())), length,
        "application/octet-stream"));
  }

  private String uploadPart(String key, String writeId, int number, long length, RequestBody body)
      throws IOException {
    if (number < 1 || number > 10_000) {
      throw new IllegalArgumentException("a part number is 1 to 10,000");
    }
    String object = object(key);
    try {
      String etag = s3.uploadPart(r -> r.bucket(bucket).key(object).uploadId(writeId).partNumber(number)
          .contentLength(length), body).eTag();
      return number + ":" + etag;
    } catch (SdkException e) {
      throw failed("store a part", e);
    }
  }

  @Override
  public void completeParts(String key, String writeId, List<String> parts) throws IOException {
    String object = object(key);
    List<CompletedPart> done = new ArrayList<>();
    for (String p : parts) {
      int colon = p.indexOf(':');
      done.add(CompletedPart.builder().partNumber(Integer.parseInt(p.substring(0, colon)))
          .eTag(p.substring(colon + 1)).build());
    }
    try {
      s3.completeMultipartUpload(r -> r.bucket(bucket).key(object).uploadId(writeId)
          .multipartUpload(m -> m.parts(done)));
    } catch (SdkException e) {
      throw failed("complete a body in parts", e);
    }
  }

  @Override
  public void abortParts(String key, String writeId) throws IOException {
    String object = object(key);
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(object).uploadId(writeId));
    } catch (NoSuchUploadException e) {
      // none
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw failed("abort a body in parts", e);
      }
    } catch (SdkException e) {
      throw failed("abort a body in parts", e);
    }
  }

  @Override
  public List<Unfinished> unfinished(int max) throws IOException {
    List<Unfinished> out = new ArrayList<>();
    try {
      ListMultipartUploadsResponse r = s3.listMultipartUploads(q -> q.bucket(bucket).prefix(prefix)
          .maxUploads(Math.min(1000, max)));
      for (MultipartUpload u : r.uploads()) {
        out.add(new Unfinished(u.key().substring(prefix.length()), u.uploadId(), u.initiated()));
      }
    } catch (SdkException e) {
      throw failed("list unfinished bodies", e);
    }
    return out;
  }

  @Override
  public int minPartSize() {
    return 5 << 20;
  }

  /** The part size it was built with ({@code --s3-part-size}). */
  @Override
  public int partSize() {
    return partSize;
  }

  @Override
  public void close() {
    if (ownClient) {
      s3.close();
    }
  }

  /** Builds an {@link S3BodyStore}. */
  public static final class Builder {
    private final String bucket;
    private @Nullable URI endpoint;
    private String region = "us-east-1";
    private boolean pathStyle;
    private String prefix = "";
    private int partSize = 8 << 20;
    private boolean allChecksums;
    private AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(30);

    private Builder(String bucket) {
      if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new IllegalArgumentException("A bucket name is 3-63 characters of a-z, 0-9, '.' and '-'.");
      }
      this.bucket = bucket;
    }

    /** The S3 API's URL, for a store other than AWS (MinIO, Ceph, s3proxy); default AWS for the region. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The region (default {@code us-east-1}; most S3-compatible stores accept any). */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** Path-style URLs ({@code host/bucket/key}), which most S3-compatible stores need. Default off. */
    public Builder pathStyle(boolean on) {
      this.pathStyle = on;
      return this;
    }

    /** A key prefix inside the bucket, e.g. {@code ots/} (1-64 of a-z A-Z 0-9 _ - / ending in '/'). */
    public Builder prefix(String prefix) {
      if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9_/-]{0,63}/")) {
        throw new IllegalArgumentException("A key prefix is up to 64 of A-Z a-z 0-9 _ - / and ends with '/'.");
      }
      this.prefix = prefix;
      return this;
    }

    /** The part size of large bodies (5 MiB to 512 MiB; default 8 MiB: up to 78 GiB in 10,000 parts). */
    public Builder partSize(int bytes) {
      if (bytes < (5 << 20) || bytes > (512 << 20)) {
        throw new IllegalArgumentException("The part size is 5 MiB to 512 MiB.");
      }
      this.partSize = bytes;
      return this;
    }

    /** Checksums on every request the SDK supports (AWS; some S3-compatible stores refuse them). Default off. */
    public Builder allChecksums(boolean on) {
      this.allChecksums = on;
      return this;
    }

    /** Credentials from the SDK's default chain (the default) or another provider. */
    public Builder credentials(AwsCredentialsProvider p) {
      this.credentials = Objects.requireNonNull(p, "credentials");
      return this;
    }

    /**
     * Credentials from a file of two lines: the access key id, then the secret access key (a mounted secret; never an
     * option on a command line). The file is read once, here.
     */
    public Builder credentialsFile(Path file) throws IOException {
      List<String> lines = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
      if (lines.size() != 2) {
        throw new IllegalArgumentException("The S3 credentials file holds two lines: the access key id, then the "
            + "secret access key.");
      }
      this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(lines.get(0), lines.get(1)));
      return this;
    }

    /** How long to wait for a connection (default 5 s) and between bytes of an answer (default 30 s). */
    public Builder timeouts(Duration connect, Duration socket) {
      this.connectTimeout = Objects.requireNonNull(connect, "connect");
      this.socketTimeout = Objects.requireNonNull(socket, "socket");
      return this;
    }

    public S3BodyStore build() {
      var b = S3Client.builder().region(Region.of(region)).credentialsProvider(credentials)
          .forcePathStyle(pathStyle)
          // Apache's client streams a part to the store as the SDK signs it, where the JDK's URL connection copies
          // each part whole into a buffer first (issue 37, docs/benchmarks.md); no "Expect: 100-continue", which
          // costs a round trip per part and only saves a refused part's bytes
          .httpClientBuilder(Apache5HttpClient.builder().connectionTimeout(connectTimeout)
              .socketTimeout(socketTimeout).expectContinueEnabled(false))
          .requestChecksumCalculation(allChecksums ? RequestChecksumCalculation.WHEN_SUPPORTED
              : RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(allChecksums ? ResponseChecksumValidation.WHEN_SUPPORTED
              : ResponseChecksumValidation.WHEN_REQUIRED);
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      return new S3BodyStore(this, b.build(), true);
    }

    /** A store on the host's own client (closed by the host, not by this store). */
    public S3BodyStore build(S3Client client) {
      return new S3BodyStore(this, Objects.requireNonNull(client, "client"), false);
    }
  }
}
