package io.onetimeshare;

import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.crypto.Argon2idParameters;
import io.onetimeshare.internal.Argon2id;
import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.internal.FastSecureRandom;
import io.onetimeshare.internal.JdkAesGcm;
import io.onetimeshare.internal.KdfGate;
import io.onetimeshare.internal.PlaintextPrefix;
import io.onetimeshare.internal.Sealer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Seals and opens envelopes (format v1) on the client's side, for clients that never give the server their key,
 * passphrase or plaintext: the command-line client, or a host app talking to a remote OneTimeShare. What it seals,
 * the web page and the library open; what they seal, it opens.
 *
 * <pre>{@code
 * ClientEnvelope.Sealing s = ClientEnvelope.seal(ticket.id(), ticket.segmentSize(), null, SecretKind.FILE, "a.pdf", null);
 * try (OutputStream out = s.open(segmentsSink)) { in.transferTo(out); }   // then upload s.header() to finish
 * String link = base + "/s/" + ticket.id() + "#" + s.key();
 * }</pre>
 *
 * @since 0.2
 */
public final class ClientEnvelope {
  private static final Sealer NO_KDF_SEALER = sealer(Argon2idParameters.ofDefaults(), 64 * 1024);

  private ClientEnvelope() {}

  private static Sealer sealer(Argon2idParameters params, int segmentSize) {
    return new Sealer(JdkAesGcm.INSTANCE, new KdfGate(1, Argon2idParameters.defaultCeiling().memoryKiB(), 16, Duration.ofMinutes(1),
        ShareEvents.NONE), params,
        Argon2idParameters.defaultCeiling(), segmentSize, FastSecureRandom.INSTANCE);
  }

  /** A secret being sealed: its header (known before any content) and the stream that seals its content. */
  public static final class Sealing {
    private final String id;
    private final Sealer.Prepared prepared;
    private final Sealer sealer;
    private final byte[] prefix;
    private final @Nullable String key;

    private Sealing(String id, Sealer.Prepared prepared, Sealer sealer, byte[] prefix, boolean keyForLink) {
      this.id = id;
      this.prepared = prepared;
      this.sealer = sealer;
      this.prefix = prefix;
      this.key = keyForLink ? Bytes.base64Url(prepared.masterKey()) : null;
    }

    /** The envelope header (public). */
    public byte[] header() {
      return prepared.headerBytes().clone();
    }

    /** The key for the link (43 base64url characters), or null when sealed under a passphrase. */
    public @Nullable String key() {
      return key;
    }

    /**
     * A stream that seals what is written to it, segment by segment, into {@code segments} (the envelope after its
     * header). Closing it writes the last segment and wipes the key; it does not close {@code segments}.
     */
    public OutputStream open(OutputStream segments) throws IOException {
      OutputStream s = sealer.sealing(id, prepared, new java.io.FilterOutputStream(segments) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          out.flush();
        }
      });
      s.write(prefix);
      return new java.io.FilterOutputStream(s) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            prepared.wipe();
          }
        }
      };
    }
  }

  /**
   * Starts sealing a secret for {@code id} with a fresh random key, or under {@code passphrase} (Argon2id with
   * {@code kdf}; runs here, on the caller's thread).
   */
  public static Sealing seal(String id, int segmentSize, char @Nullable [] passphrase, Argon2idParameters kdf,
      SecretKind kind, @Nullable String filename, @Nullable String contentType) {
    io.onetimeshare.internal.Ids.requireValid(id);
    Objects.requireNonNull(kind, "kind");
    Sealer sealer = sealer(kdf, segmentSize);
    byte[] pass = passphrase == null ? null : Credential.passphraseBytes(passphrase);
    try {
      byte[] prefix = new PlaintextPrefix(kind, filename, contentType).encode();
      return new Sealing(id, sealer.prepare(id, pass), sealer, prefix, pass == null);
    } finally {
      Bytes.wipe(pass);
    }
  }

  /**
   * Starts sealing a secret for {@code id} to the holder of the X25519 private key whose public key is {@code
   * recipientPublicKey} (envelope mode 3, issue 23: an answer to a secret request). The sealer keeps no key: {@link
   * Sealing#key()} is null, and only the private key opens it.
   */
  public static Sealing sealTo(String id, int segmentSize, byte[] recipientPublicKey, SecretKind kind,
      @Nullable String filename, @Nullable String contentType) {
    io.onetimeshare.internal.Ids.requireValid(id);
    Objects.requireNonNull(kind, "kind");
    Sealer sealer = sealer(Argon2idParameters.ofDefaults(), segmentSize);
    byte[] prefix = new PlaintextPrefix(kind, filename, contentType).encode();
    return new Sealing(id, sealer.prepareToPublicKey(id, recipientPublicKey), sealer, prefix, false);
  }

  /**
   * An X25519 key pair for receiving secrets sealed to it ({@link #sealTo}). The private key belongs in the
   * recipient's inbox link only; {@link #toString()} hides it.
   *
   * @param privateKey 32 bytes
   * @param publicKey 32 bytes
   * @since 0.3
   */
  public record RecipientKeys(byte[] privateKey, byte[] publicKey) {
    public RecipientKeys {
      privateKey = privateKey.clone();
      publicKey = publicKey.clone();
    }

    /** A fresh key pair. */
    public static RecipientKeys generate() {
      byte[][] kp = io.onetimeshare.internal.Hpke.newKeyPair(FastSecureRandom.INSTANCE);
      return new RecipientKeys(kp[0], kp[1]);
    }

    /** The key pair of a private key (from an inbox link). */
    public static RecipientKeys ofPrivateKey(byte[] privateKey) {
      return new RecipientKeys(privateKey, io.onetimeshare.internal.Hpke.publicKeyOf(privateKey));
    }

    @Override
    public byte[] privateKey() {
      return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    /** 16 bytes naming the public key (docs/format.md): a server that swaps the key shows a different one. */
    public byte[] fingerprint() {
      return io.onetimeshare.internal.Hpke.fingerprint(publicKey);
    }

    /** Overwrites the private key held here. */
    public void wipe() {
      java.util.Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RecipientKeys k && java.util.Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
      return "RecipientKeys[public=" + Bytes.base64Url(publicKey) + ", private=***]";
    }
  }

  /** The fingerprint of a public key (16 bytes; docs/format.md, "Mode 3"). */
  public static byte[] fingerprint(byte[] publicKey) {
    return io.onetimeshare.internal.Hpke.fingerprint(publicKey);
  }

  /**
   * The proof that opens a secret by {@link OneTimeShare#openSealed}: its key commitment, computed from the key or
   * passphrase and the header up to the commitment ({@link SecretInfo#proofContext()}, "proofContext" in the HTTP
   * API). For a passphrase this runs Argon2id with the parameters in the context (refused above the default ceiling).
   */
  public static byte[] proof(String id, byte[] proofContext, Credential credential) {
    return proof(id, proofContext, credential, null);
  }

  /**
   * {@link #proof(String, byte[], Credential)}, refusing before any work when the context asks a passphrase to be
   * stretched with less than {@code floor} ({@link Argon2idParameters#isAtLeast}): the context comes from the
   * server, and a hostile or intercepted server that named weak parameters would get a proof it could attack
   * offline at a fraction of the intended cost per guess. Clients pass {@link Argon2idParameters#clientFloor()}.
   *
   * @throws UnsupportedEnvelopeException the context's Argon2id parameters are below {@code floor}; nothing derived
   */
  public static byte[] proof(String id, byte[] proofContext, Credential credential,
      @Nullable Argon2idParameters floor) {
    EnvelopeHeader h = EnvelopeHeader.parseProofContext(proofContext, Argon2idParameters.defaultCeiling());
    Argon2idParameters kdf = h.kdf();
    if (floor != null && kdf != null && credential.isPassphrase() && !kdf.isAtLeast(floor)) {
      throw new UnsupportedEnvelopeException("The server asks for the passphrase to be stretched with " + kdf
          + ", weaker than this client's floor " + floor + ". A genuine server never does this: the server or "
          + "the connection to it may be hostile. Nothing was sent.");
    }
    byte[] master = master(h, credential, id);
    try {
      return Sealer.commitment(master, id, h);
    } finally {
      Bytes.wipe(master);
    }
  }

  /**
   * The master key: the link's key (mode 1), Argon2id over the passphrase (mode 2), or unwrapped with the private key
   * the credential holds (mode 3).
   */
  private static byte[] master(EnvelopeHeader h, Credential credential, String id) {
    if (h.mode() == EnvelopeHeader.Mode.PUBLIC_KEY) {
      if (credential.isPassphrase()) {
        throw new InvalidArgumentException("This secret was sealed to a public key; it opens with the private key "
            + "from the inbox link, not a passphrase.");
      }
      return io.onetimeshare.internal.Hpke.unwrap(credential.bytes(), h, id);
    }
    boolean wantsPassphrase = h.mode() == EnvelopeHeader.Mode.PASSPHRASE;
    if (wantsPassphrase != credential.isPassphrase()) {
      throw new InvalidArgumentException(wantsPassphrase ? "This secret opens with a passphrase, not a key."
          : "This secret opens with the key from its link, not a passphrase.");
    }
    if (!wantsPassphrase) {
      return credential.bytes().clone();
    }
    return Argon2id.derive(credential.bytes(), h.salt(), Objects.requireNonNull(h.kdf()));
  }

  /**
   * Opens a whole envelope (header, then segments) read from {@code envelope}: checks the header and the key
   * commitment, then decrypts as a stream; each segment's plaintext is released only after its tag verifies.
   *
   * @throws WrongCredentialException the key or passphrase does not open it
   * @throws IntegrityException the envelope is damaged or tampered with
   */
  public static OpenedStream open(String id, Credential credential, InputStream envelope) throws IOException {
    byte[] headerBytes = EnvelopeHeader.readHeaderBytes(envelope);
    EnvelopeHeader h = NO_KDF_SEALER.parse(headerBytes);
    byte[] master = master(h, credential, id);
    try {
      if (!Sealer.verify(master, id, h)) {
        throw new IntegrityException("The key or passphrase does not open this envelope (its key commitment differs).");
      }
      PushbackInputStream plain = new PushbackInputStream(
          NO_KDF_SEALER.opening(master, id, h, headerBytes, envelope), 1);
      PlaintextPrefix prefix = PlaintextPrefix.read(plain);
      int first = plain.read();
      if (first < 0) {
        throw new IntegrityException("The sealed content is empty, which the format does not allow.");
      }
      plain.unread(first);
      return new OpenedStream(prefix.kind(), prefix.filename(), prefix.contentType(), plain);
    } finally {
      Bytes.wipe(master);
    }
  }
}
