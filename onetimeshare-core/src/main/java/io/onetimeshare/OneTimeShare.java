package io.onetimeshare;

// Longer than 400 lines: the facade's operations delegate to their parts (Sharing, Opening, Receipts, ClientSealing);
// what remains is the Builder's documented settings and the Settings record, which a user reads here in one place.

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.spi.SecretTrace;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.spi.UploadProgress;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.internal.Ids;
import io.onetimeshare.internal.JdkAesGcm;
import io.onetimeshare.internal.KdfGate;
import io.onetimeshare.internal.Sealer;
import io.onetimeshare.memory.InMemorySecretVault;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Shares secrets exactly once. Thread-safe; build one per application and share it.
 *
 * <pre>{@code
 * OneTimeShare ots = OneTimeShare.builder().build();          // in-memory vault, safe defaults
 * ShareReceipt r = ots.share("db password: hunter2");
 * OpenedSecret s = ots.open(r.id(), Credential.key(r.key())); // works once
 * }</pre>
 *
 * <p>The facade delegates by concern: sharing ({@code Sharing}), opening ({@code Opening}), receipts and deletion
 * ({@code Receipts}) and client-sealed uploads ({@code ClientSealing}), each a package-private part small enough to
 * read in one sitting. Longer than 400 lines: the rest is the {@link Builder}'s documented settings and the {@link
 * Settings} record, which a user reads here, in one place.
 *
 * @since 0.1
 */
public final class OneTimeShare implements AutoCloseable {
  private final Settings settings;
  private final SecretVault vault;
  private final Sealer sealer;
  private final Clock clock;
  private final SecureRandom random;
  private final ShareEvents events;
  private final ClientSealing clientSealing;
  private final Sharing sharing;
  private final Opening opening;
  private final Receipts receipts;
  private final Requesting requesting;

  private OneTimeShare(Builder b) {
    Argon2idParameters ceiling = b.argon2Ceiling != null ? b.argon2Ceiling : b.argon2;
    this.settings = new Settings(b.maxContentBytes, b.minTtl, b.defaultTtl, b.maxTtl, b.maxAttempts, b.argon2,
        ceiling, b.argon2Floor, b.segmentSize, b.minUploadSegment, b.maxUploadSegment);
    this.clock = b.clock;
    this.random = b.random != null ? b.random : io.onetimeshare.internal.FastSecureRandom.INSTANCE;
    this.events = b.events;
    SecretVault v = b.vault != null ? b.vault : InMemorySecretVault.builder().clock(clock).events(events).build();
    this.vault = events == ShareEvents.NONE ? v : new io.onetimeshare.internal.TimedVault(v, events);
    // the gate's memory: cores x the server's own m, and never less than one derivation at the ceiling
    long unit = Math.max(b.argon2.memoryKiB(), (ceiling.memoryKiB() + b.kdfConcurrency - 1L) / b.kdfConcurrency);
    KdfGate gate = new KdfGate(b.kdfConcurrency, unit, b.kdfQueue, b.kdfMaxWait, events);
    this.sealer = new Sealer(b.cipher, gate, b.argon2, ceiling, b.segmentSize, random);
    Notifying notifying = new Notifying(b.notifyEndpoints, vault, random);
    this.clientSealing = new ClientSealing(settings, vault, sealer, clock, random, events, notifying);
    this.sharing = new Sharing(settings, vault, sealer, clock, random, events, notifying);
    this.opening = new Opening(vault, sealer, clock, events);
    this.receipts = new Receipts(vault, clock, events);
    this.requesting = new Requesting(settings, vault, clock, random, notifying);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The limits in force (for adapters that validate before streaming). */
  public Settings settings() {
    return settings;
  }

  /** Shares a text with the default options. */
  public ShareReceipt share(String text) {
    return share(text, ShareOptions.defaults());
  }

  /** Shares a text (UTF-8). */
  public ShareReceipt share(String text, ShareOptions options) {
    Objects.requireNonNull(text, "text");
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try {
      return share(new ByteArrayInputStream(b), options, SecretKind.TEXT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Bytes.wipe(b);
    }
  }

  /** Shares bytes as a file (give it a filename in the options to keep one). */
  public ShareReceipt share(byte[] content, ShareOptions options) {
    Objects.requireNonNull(content, "content");
    try {
      return share(new ByteArrayInputStream(content), options, SecretKind.FILE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Shares a stream as a file, reading it to the end in segments (bounded memory whatever the size). If the stream
   * fails or is over the limit, nothing is stored.
   *
   * @throws IOException when reading {@code content} fails
   */
  public ShareReceipt share(InputStream content, ShareOptions options) throws IOException {
    return share(content, options, SecretKind.FILE);
  }

  /** Shares a stream with an explicit kind (adapters use this for text arriving as a stream). */
  public ShareReceipt share(InputStream content, ShareOptions options, SecretKind kind) throws IOException {
    return sharing.share(content, options, kind, io.onetimeshare.spi.Charge.Batch.none());
  }

  /**
   * As {@link #share(InputStream, ShareOptions, SecretKind)}, charging rate budgets with the store's put: in the same
   * round trip where the vault can (Redis), before anything is stored in any case; a charge that refuses (its
   * callback throws) stores nothing. The servlet passes the client's budgets here (issue 25).
   *
   * @since 0.3
   */
  public ShareReceipt share(InputStream content, ShareOptions options, SecretKind kind,
      io.onetimeshare.spi.Charge.Batch charges) throws IOException {
    return sharing.share(content, options, kind, java.util.Objects.requireNonNull(charges, "charges"));
  }

  /** Public facts about a waiting secret, without consuming it; empty when it is not available. */
  public Optional<SecretInfo> peek(String id) {
    return opening.peek(id);
  }

  /**
   * As {@link #peek(String)}, charging rate budgets with the store's answer (one round trip on Redis), even when
   * there is no such secret; a refusal answers nothing.
   *
   * @since 0.3
   */
  public Optional<SecretInfo> peek(String id, io.onetimeshare.spi.Charge.Batch charges) {
    return opening.peek(id, Objects.requireNonNull(charges, "charges"));
  }

  /**
   * Opens a secret, whole, exactly once.
   *
   * @throws SecretNotFoundException not there (never existed, expired, opened, deleted, destroyed)
   * @throws WrongCredentialException wrong key or passphrase; the secret stays unless no attempts are left
   * @throws IntegrityException the stored envelope was corrupted or tampered with
   */
  public OpenedSecret open(String id, Credential credential) {
    return opening.open(id, credential);
  }

  /** Opens a secret as a stream, exactly once. The secret is consumed when this returns. Close the result. */
  public OpenedStream openStream(String id, Credential credential) {
    return opening.openStream(id, credential);
  }

  /**
   * As {@link #openStream(String, Credential)}, charging rate budgets with the claim (one round trip on Redis), even
   * when there is no such secret; a refusal claims nothing.
   *
   * @since 0.3
   */
  public OpenedStream openStream(String id, Credential credential, io.onetimeshare.spi.Charge.Batch charges) {
    return opening.openStream(id, credential, java.util.Objects.requireNonNull(charges, "charges"));
  }

  /**
   * Deletes a secret before it is opened.
   *
   * @throws SecretNotFoundException when it is not there
   * @throws InvalidDeleteTokenException when the token does not match (nothing is deleted)
   */
  public void delete(String id, String deleteToken) {
    receipts.delete(id, deleteToken);
  }

  /** Checks a deletion token against its stored hash, in constant time. */
  static void checkToken(String deleteToken, byte[] hash) {
    Receipts.checkToken(deleteToken, hash);
  }

  /**
   * What became of a secret, for its creator: waiting, opened (when), expired, deleted or burned. Answers until a
   * day after the secret's original expiry ({@link SecretTrace#RETENTION}); nobody without the deletion token learns
   * anything from it.
   *
   * @throws SecretNotFoundException no trace under this id (never existed, or forgotten)
   * @throws InvalidDeleteTokenException the token is not the secret's deletion token
   * @since 0.2
   */
  public SecretStatus status(String id, String deleteToken) {
    return receipts.status(id, deleteToken);
  }

  /**
   * Starts an upload of a secret its client seals itself (docs/format.md, "Client-sealed secrets"): the client seals
   * under the returned id, appends the sealed segments in order, then finishes with the envelope header. The server
   * never sees the key, the passphrase or the plaintext.
   *
   * @param ttl the finished secret's time to live, or null for the default
   * @param segmentSize the plaintext bytes per segment the client will use (at most {@link
   *     Settings#maxUploadSegment()})
   * @since 0.2
   */
  public UploadTicket beginUpload(@Nullable Duration ttl, int segmentSize) {
    return clientSealing.begin(ttl == null ? settings.defaultTtl() : ttl, segmentSize, null, null);
  }

  /**
   * As {@link #beginUpload(Duration, int)}, with the options of a share that apply to an upload: the TTL, who creates
   * it ({@link ShareOptions#creator()}) and the sender's callback ({@link ShareOptions#notifyUrl()}, whose signing
   * secret the ticket carries). A passphrase, file name or content type in {@code options} is ignored: the client
   * seals them itself.
   *
   * @since 0.3
   */
  public UploadTicket beginUpload(int segmentSize, ShareOptions options) {
    java.util.Objects.requireNonNull(options, "options");
    return clientSealing.begin(options.ttl() == null ? settings.defaultTtl() : options.ttl(), segmentSize,
        options.creator(), options.notifyUrl());
  }

  /**
   * Asks for a secret (issue 23): stores a request holding the asker's X25519 public key ({@link
   * ClientEnvelope.RecipientKeys}); its one answer, sealed to that key by the responder's client, becomes the secret
   * of the request's id, which only the private key's holder opens (by proof).
   *
   * @param ttl how long it waits for an answer and the answer for its opening, or null for the default
   * @since 0.3
   */
  public SecretRequest request(byte[] publicKey, @Nullable Duration ttl) {
    return request(publicKey, ttl, null);
  }

  /**
   * As {@link #request(byte[], Duration)}, telling {@code notifyUrl} (signed, Standard Webhooks) {@code
   * request.fulfilled} when the answer is stored and {@code request.expired} when the request, or its unopened answer,
   * expires. The signing secret is in the returned request, once. The caller checks where the URL points (the HTTP
   * layer's address policy); this checks its form.
   *
   * @throws InvalidArgumentException a malformed URL, or a vault that records no events
   */
  public SecretRequest request(byte[] publicKey, @Nullable Duration ttl, @Nullable String notifyUrl) {
    return requesting.create(publicKey, ttl == null ? settings.defaultTtl() : ttl, notifyUrl);
  }

  /** What a responder needs to answer: the request's public key and whether it has its answer; empty when none. */
  public Optional<SecretRequest.Open> requestInfo(String id) {
    return requesting.open(id);
  }

  /**
   * Begins the one answer to a request: an upload under the request's id, sealed by the responder's client to the
   * request's public key ({@link ClientEnvelope#sealTo}), then appended and finished like any upload.
   *
   * <p>Only the holder of the fill link's answer token ({@link SecretRequest#answerToken()}) may answer: the id is
   * in every link's path, and whoever saw a path must not answer in the responder's place (issue 36, finding 1).
   *
   * @param answerToken the fill link's answer token, or null when the link had none (refused with a clear message)
   * @throws SecretNotFoundException no such request, or it expired
   * @throws InvalidAnswerTokenException the token is missing or wrong, or the request was made before answer tokens
   * @throws UploadConflictException it has its answer already (atomic across instances)
   * @since 0.3
   */
  public UploadTicket answerRequest(String id, @Nullable String answerToken, int segmentSize) {
    return requesting.answer(id, answerToken, segmentSize);
  }

  /** A request's state for its asker (needs the owner token). */
  public SecretRequest.State requestStatus(String id, String ownerToken) {
    return requesting.status(id, ownerToken);
  }

  /** Withdraws a request and deletes an answer that waits (needs the owner token). */
  public void deleteRequest(String id, String ownerToken) {
    requesting.delete(id, ownerToken);
  }

  /**
   * The events this service's vault records for notifications (issue 22), for a deliverer to take; empty when the
   * vault records none.
   *
   * @since 0.3
   */
  public java.util.Optional<io.onetimeshare.spi.EventOutbox> outbox() {
    return vault.outbox();
  }

  /**
   * As {@link #beginUpload(Duration, int)}, naming who begins it for the audit trail
   * ({@link io.onetimeshare.spi.ShareEvents#createdBy}).
   *
   * @since 0.3
   */
  public UploadTicket beginUpload(@Nullable Duration ttl, int segmentSize, String creator) {
    return clientSealing.begin(ttl == null ? settings.defaultTtl() : ttl, segmentSize,
        java.util.Objects.requireNonNull(creator, "creator"), null);
  }

  /** The first 12 hex digits of SHA-256 of {@code id}: names a secret in an audit line without revealing it. */
  static String idDigest(String id) {
    byte[] d = io.onetimeshare.internal.Bytes.sha256(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return java.util.HexFormat.of().formatHex(d, 0, 6);
  }

  /** How far an upload has come (to resume after a lost connection); needs the upload's deletion token. */
  public UploadProgress uploadProgress(String id, String deleteToken) {
    return clientSealing.progress(id, deleteToken);
  }

  /**
   * Appends the sealed segments read from {@code in}, the first being segment {@code first}: whole segments of the
   * upload's sealed size, the last of them possibly shorter if it is the envelope's last. Segments already stored are
   * ignored, so a client can resend after a lost answer. Returns the segments stored afterwards.
   *
   * @throws UploadConflictException a segment out of order or of a wrong size (what was appended before it stays)
   * @throws TooLargeException the envelope would exceed the content limit
   */
  public long appendSegments(String id, String deleteToken, long first, InputStream in) throws IOException {
    return clientSealing.append(id, deleteToken, first, in);
  }

  /**
   * Makes an upload openable, with its envelope header (checked as strictly as any reader checks it; its segment
   * size must be the upload's).
   */
  public void finishUpload(String id, String deleteToken, byte[] header) {
    clientSealing.finish(id, deleteToken, header);
  }

  /** Drops an unfinished upload and what it stored. */
  public boolean abortUpload(String id, String deleteToken) {
    return clientSealing.abort(id, deleteToken);
  }

  /**
   * Hands out a secret still sealed, exactly once, to whoever gives the proof of its key (the header's key commitment,
   * computed from the key or passphrase and {@link SecretInfo#proofContext()}). For clients that open envelopes
   * themselves; works for every secret, whoever sealed it.
   *
   * @throws WrongCredentialException wrong proof: free for a random key, one attempt for a passphrase secret
   * @since 0.2
   */
  public SealedSecret openSealed(String id, byte[] proof) {
    Objects.requireNonNull(proof, "proof");
    return clientSealing.open(id, proof);
  }

  /**
   * As {@link #openSealed(String, byte[])}, charging rate budgets with its first store call.
   *
   * @since 0.3
   */
  public SealedSecret openSealed(String id, byte[] proof, io.onetimeshare.spi.Charge.Batch charges) {
    Objects.requireNonNull(proof, "proof");
    return clientSealing.open(id, proof, Objects.requireNonNull(charges, "charges"));
  }

  /** Calls a listener; what it throws is ignored (it must not break the operation it observes). */
  static void report(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ignored) {
      // see ShareEvents: listeners must not throw
    }
  }

  /** Whether the vault answers (for readiness probes). */
  public boolean isReady() {
    try {
      vault.peek(Ids.newId(random));
      return true;
    } catch (StoreUnavailableException e) {
      return false;
    }
  }

  /** How many passphrase derivations have been seen running at once (bounded by the configured concurrency). */
  int peakKdfConcurrency() {
    return sealer.gate().peakConcurrency();
  }

  @Override
  public void close() {
    vault.close();
  }

  /**
   * The limits a {@link OneTimeShare} enforces.
   *
   * @param maxContentBytes largest content accepted
   * @param minTtl shortest TTL accepted
   * @param defaultTtl TTL when none is given
   * @param maxTtl longest TTL accepted
   * @param maxAttempts wrong attempts before a secret is destroyed
   * @param argon2 Argon2id parameters used for new passphrase secrets
   * @param argon2Ceiling highest Argon2id parameters this server accepts in a client-sealed envelope and spends when
   *     opening one by passphrase (by default its own {@code argon2})
   * @param argon2Floor least Argon2id a client-sealed passphrase envelope must use to be accepted (what clients
   *     themselves refuse to open below, {@link Argon2idParameters#clientFloor()} by default)
   * @param segmentSize plaintext bytes per sealed segment
   * @param minUploadSegment smallest segment size a client may choose for an upload (every segment costs the store
   *     a write, a key or an fsync of its own)
   * @param maxUploadSegment largest segment size a client may choose for an upload (each sealed segment is read
   *     whole into memory)
   */
  public record Settings(long maxContentBytes, Duration minTtl, Duration defaultTtl, Duration maxTtl,
      int maxAttempts, Argon2idParameters argon2, Argon2idParameters argon2Ceiling, Argon2idParameters argon2Floor,
      int segmentSize, int minUploadSegment, int maxUploadSegment) {

    /** Throws {@link InvalidArgumentException} when {@code ttl} is outside the accepted range. */
    void checkTtl(Duration ttl) {
      if (ttl.compareTo(minTtl) < 0 || ttl.compareTo(maxTtl) > 0) {
        throw new InvalidArgumentException("The time to live must be between " + minTtl.toSeconds() + " and "
            + maxTtl.toSeconds() + " seconds.");
      }
    }
  }

  /** Builds a {@link OneTimeShare}. Every setting has a safe default; setters fail fast on bad values. */
  public static final class Builder {
    private @Nullable SecretVault vault;
    private Cipher cipher = JdkAesGcm.INSTANCE;
    private Clock clock = Clock.systemUTC();
    private @Nullable SecureRandom random;
    private long maxContentBytes = 10L * 1024 * 1024;
    private Duration minTtl = Duration.ofSeconds(60);
    private Duration defaultTtl = Duration.ofDays(1);
    private Duration maxTtl = Duration.ofDays(7);
    private int maxAttempts = 5;
    private Argon2idParameters argon2 = Argon2idParameters.ofDefaults();
    private @Nullable Argon2idParameters argon2Ceiling; // null: the server's own argon2
    private Argon2idParameters argon2Floor = Argon2idParameters.clientFloor();
    private int kdfConcurrency = Runtime.getRuntime().availableProcessors();
    private int kdfQueue = 4 * Runtime.getRuntime().availableProcessors();
    private Duration kdfMaxWait = Duration.ofSeconds(10);
    private int segmentSize = 64 * 1024;
    private int minUploadSegment = 64 * 1024;
    private int maxUploadSegment = 1024 * 1024;
    private ShareEvents events = ShareEvents.NONE;
    private java.util.List<io.onetimeshare.spi.NotifyTarget> notifyEndpoints = java.util.List.of();

    private Builder() {}

    /**
     * The operator's notification endpoints (issue 22): every secret stored from now on records, for each endpoint, the
     * events it wants ({@link io.onetimeshare.spi.NotifyTarget#endpoint}); a deliverer that knows each endpoint's URL
     * and signing secret by name sends them. Default: none. Needs a vault that records events.
     *
     * @since 0.3
     */
    public Builder notifyEndpoints(java.util.List<io.onetimeshare.spi.NotifyTarget> endpoints) {
      for (io.onetimeshare.spi.NotifyTarget t : endpoints) {
        if (t.isCallback()) {
          throw new InvalidArgumentException("An operator endpoint is named, not a callback: " + t.name());
        }
      }
      this.notifyEndpoints = java.util.List.copyOf(endpoints);
      return this;
    }

    /**
     * Where to report what happens to secrets (metrics, audit). Default {@link ShareEvents#NONE}. Give vaults that
     * report expirations the same listener ({@code InMemorySecretVault.Builder.events}, {@code
     * FileSecretVault.Builder.events}).
     */
    public Builder events(ShareEvents events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** Where sealed secrets live. Default: an {@link InMemorySecretVault} with its default byte budget. */
    public Builder vault(SecretVault vault) {
      this.vault = Objects.requireNonNull(vault, "vault");
      return this;
    }

    /** The AEAD implementation. Default: the JDK's AES-256-GCM. */
    public Builder cipher(Cipher cipher) {
      this.cipher = Objects.requireNonNull(cipher, "cipher");
      return this;
    }

    /** The clock for expiry (inject a fixed or moving clock in tests). Give the vault the same clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of ids, keys, salts, nonces and tokens. Default: a thread-local DRBG {@link SecureRandom}. */
    public Builder secureRandom(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Largest content accepted, in bytes. Default 10 MiB. */
    public Builder maxContentBytes(long bytes) {
      require(bytes >= 1, "maxContentBytes must be at least 1");
      this.maxContentBytes = bytes;
      return this;
    }

    /** Accepted TTL range and default. Defaults: 60 s, 1 day, 7 days. */
    public Builder ttl(Duration min, Duration dflt, Duration max) {
      require(!min.isNegative() && !min.isZero(), "the minimum TTL must be positive");
      require(min.compareTo(dflt) <= 0 && dflt.compareTo(max) <= 0, "TTLs must satisfy min <= default <= max");
      this.minTtl = min;
      this.defaultTtl = dflt;
      this.maxTtl = max;
      return this;
    }

    /** The TTL used when a share gives none, within the accepted range. Default 1 day. */
    public Builder defaultTtl(Duration dflt) {
      require(dflt.compareTo(minTtl) >= 0 && dflt.compareTo(maxTtl) <= 0, "The default time to live must be between "
          + minTtl.toSeconds() + " and " + maxTtl.toSeconds() + " seconds.");
      this.defaultTtl = dflt;
      return this;
    }

    /** Wrong attempts before a secret is destroyed. Default 5. */
    public Builder maxAttempts(int attempts) {
      require(attempts >= 1 && attempts <= 1000, "maxAttempts must be between 1 and 1000");
      this.maxAttempts = attempts;
      return this;
    }

    /** Argon2id parameters for new passphrase secrets. Default {@link Argon2idParameters#ofDefaults()}. */
    public Builder argon2(Argon2idParameters params) {
      this.argon2 = Objects.requireNonNull(params, "params");
      return this;
    }

    /**
     * Highest Argon2id parameters this server accepts in an envelope a client sealed, and so the most it spends on
     * one passphrase attempt: an upload whose header names more is refused at finish. Default: the server's own
     * {@link #argon2(Argon2idParameters)} parameters, so a client can never make the server spend more memory or time
     * than its own secrets cost. The KDF gate's memory budget grows to hold at least one derivation at the ceiling.
     */
    public Builder argon2Ceiling(Argon2idParameters ceiling) {
      this.argon2Ceiling = Objects.requireNonNull(ceiling, "ceiling");
      return this;
    }

    /**
     * The least Argon2id a client-sealed passphrase envelope may name: an upload below it is refused at finish, since
     * clients refuse to prove a passphrase with less ({@link ClientEnvelope#proof(String, byte[], Credential,
     * Argon2idParameters)}) and the secret could never be opened. Default {@link Argon2idParameters#clientFloor()}.
     */
    public Builder argon2Floor(Argon2idParameters floor) {
      this.argon2Floor = Objects.requireNonNull(floor, "floor");
      return this;
    }

    /**
     * Bounds Argon2id work: at most {@code concurrency} derivations at once, at most {@code queue} waiting up to {@code
     * maxWait}; beyond that {@link OverloadedException}. Defaults: cores, 4 x cores, 10 s.
     */
    public Builder kdfLimits(int concurrency, int queue, Duration maxWait) {
      require(concurrency >= 1 && queue >= 0 && !maxWait.isNegative(), "bad KDF limits");
      this.kdfConcurrency = concurrency;
      this.kdfQueue = queue;
      this.kdfMaxWait = maxWait;
      return this;
    }

    /** Plaintext bytes per sealed segment (16 B to 8 MiB). Default 64 KiB. */
    public Builder segmentSize(int bytes) {
      require(bytes >= EnvelopeHeader.MIN_SEGMENT && bytes <= EnvelopeHeader.MAX_SEGMENT,
          "segmentSize must be between 16 bytes and 8 MiB");
      this.segmentSize = bytes;
      return this;
    }

    /**
     * Smallest segment size a client may choose for an upload (16 B to 8 MiB). Each segment costs the store a write of
     * its own (a key on Redis, an fsync on the file vault), so tiny segments would multiply the work one upload makes;
     * the page and {@code ots} use 256 KiB. Default 64 KiB. The envelope format itself reads segments down to 16 B.
     */
    public Builder minUploadSegmentSize(int bytes) {
      require(bytes >= EnvelopeHeader.MIN_SEGMENT && bytes <= EnvelopeHeader.MAX_SEGMENT,
          "minUploadSegmentSize must be between 16 bytes and 8 MiB");
      this.minUploadSegment = bytes;
      return this;
    }

    /**
     * Largest segment size a client may choose for an upload (16 B to 8 MiB). Each sealed segment is held whole in
     * memory while it is stored, so this bounds an upload request's memory. Default 1 MiB.
     */
    public Builder maxUploadSegmentSize(int bytes) {
      require(bytes >= EnvelopeHeader.MIN_SEGMENT && bytes <= EnvelopeHeader.MAX_SEGMENT,
          "maxUploadSegmentSize must be between 16 bytes and 8 MiB");
      this.maxUploadSegment = bytes;
      return this;
    }

    public OneTimeShare build() {
      require(minUploadSegment <= maxUploadSegment, "minUploadSegmentSize exceeds maxUploadSegmentSize");
      // without a ceiling of its own the server's parameters must stay within what every reader accepts
      require(argon2.isWithin(argon2Ceiling != null ? argon2Ceiling : Argon2idParameters.defaultCeiling()),
          "the Argon2id parameters exceed the configured ceiling");
      return new OneTimeShare(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new InvalidArgumentException(message);
      }
    }
  }
}
