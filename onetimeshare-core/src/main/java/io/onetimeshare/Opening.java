package io.onetimeshare;

import io.onetimeshare.spi.SecretRecord;
import io.onetimeshare.spi.SecretState;
import io.onetimeshare.spi.SecretVault;
import io.onetimeshare.spi.ShareEvents;
import io.onetimeshare.internal.Bytes;
import io.onetimeshare.internal.EnvelopeHeader;
import io.onetimeshare.internal.Ids;
import io.onetimeshare.internal.PlaintextPrefix;
import io.onetimeshare.internal.Sealer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The facade's part that opens secrets exactly once: by key (checked inside the claim) or by passphrase (an attempt
 * reserved before Argon2id runs), whole or as a stream. Package-private.
 */
final class Opening {
  private final SecretVault vault;
  private final Sealer sealer;
  private final Clock clock;
  private final ShareEvents events;

  Opening(SecretVault vault, Sealer sealer, Clock clock, ShareEvents events) {
    this.vault = vault;
    this.sealer = sealer;
    this.clock = clock;
    this.events = events;
  }

  /** Public facts about a waiting secret, without consuming it; empty when it is not available. */
  Optional<SecretInfo> peek(String id) {
    return peek(id, io.onetimeshare.spi.Charge.Batch.none());
  }

  /** As above, charging {@code charges} with the store's answer (one round trip where the vault can). */
  Optional<SecretInfo> peek(String id, io.onetimeshare.spi.Charge.Batch charges) {
    Ids.requireValid(id);
    return vault.peek(id, charges).filter(r -> !r.isExpiredAt(clock.instant())).map(r -> {
      EnvelopeHeader h = sealer.parse(r.header());
      return new SecretInfo(id, r.expiresAt(), h.mode() == EnvelopeHeader.Mode.PASSPHRASE, r.attemptsLeft(),
          ClientSealing.proofContext(r.header()));
    });
  }

  /**
   * Opens a secret, whole, exactly once.
   *
   * @throws SecretNotFoundException not there (never existed, expired, opened, deleted, destroyed)
   * @throws WrongCredentialException wrong key or passphrase; the secret stays unless no attempts are left
   * @throws IntegrityException the stored envelope was corrupted or tampered with
   */
  OpenedSecret open(String id, Credential credential) {
    try (OpenedStream s = openStream(id, credential)) {
      byte[] content = s.content().readAllBytes();
      return new OpenedSecret(s.kind(), s.filename(), s.contentType(), content);
    } catch (IOException e) {
      throw new StoreUnavailableException("Reading the secret from the store failed.", e);
    }
  }

  /** Opens a secret as a stream, exactly once. The secret is consumed when this returns. Close the result. */
  OpenedStream openStream(String id, Credential credential) {
    return openStream(id, credential, io.onetimeshare.spi.Charge.Batch.none());
  }

  /** As above, charging {@code charges} with the claim (one store round trip where the vault can). */
  OpenedStream openStream(String id, Credential credential, io.onetimeshare.spi.Charge.Batch charges) {
    Ids.requireValid(id);
    Objects.requireNonNull(credential, "credential");
    if (credential.isPassphrase()) {
      charges.applyNow(); // several store calls and a derivation follow anyway: charged before any of them
      return openWithPassphrase(id, credential);
    }
    return openWithKey(id, credential, charges);
  }

  /** A key is checked against the header's commitment inside the claim: one vault call for the whole open. */
  private OpenedStream openWithKey(String id, Credential credential, io.onetimeshare.spi.Charge.Batch charges) {
    byte[] master = credential.bytes().clone();
    boolean[] wrongMode = new boolean[1];
    EnvelopeHeader[] header = new EnvelopeHeader[1];
    int[] attempts = new int[1];
    try {
      SecretVault.ClaimOutcome out = vault.claimIf(id, rec -> {
        if (rec.isExpiredAt(clock.instant())) {
          return false; // handled below as not found
        }
        EnvelopeHeader h = sealer.parse(rec.header());
        if (h.mode() == EnvelopeHeader.Mode.PASSPHRASE) {
          wrongMode[0] = true;
          return false;
        }
        header[0] = h;
        attempts[0] = rec.attemptsLeft();
        return Sealer.verify(master, id, h);
      }, charges);
      if (wrongMode[0]) {
        throw new InvalidArgumentException("This secret opens with a passphrase, not a key.");
      }
      if (out.claimed() == null) {
        if (!out.rejected() || header[0] == null) {
          throw new SecretNotFoundException(); // absent, or expired before the vault reclaimed it
        }
        // a 256-bit key cannot be guessed, so a wrong one costs the secret nothing: counting it would only let
        // anyone who saw the link's path (proxy logs, history) burn the secret with five made-up keys
        OneTimeShare.report(() -> events.wrongCredential(false));
        throw new WrongCredentialException(attempts[0], false); // a wrong key costs nothing
      }
      return opened(id, master, out.claimed());
    } finally {
      Bytes.wipe(master);
    }
  }

  /**
   * A passphrase needs the header's salt and KDF parameters first, so it peeks, takes an attempt (atomically, before
   * deriving: concurrent guesses can never exceed the limit), derives, then claims.
   */
  private OpenedStream openWithPassphrase(String id, Credential credential) {
    SecretRecord rec = vault.peek(id).filter(r -> !r.isExpiredAt(clock.instant()))
        .orElseThrow(SecretNotFoundException::new);
    EnvelopeHeader h = sealer.parse(rec.header());
    if (h.mode() != EnvelopeHeader.Mode.PASSPHRASE) {
      throw new InvalidArgumentException("This secret opens with the key from its link, not a passphrase.");
    }
    int left = vault.reserveAttempt(id).orElseThrow(SecretNotFoundException::new);
    byte[] master;
    try {
      master = sealer.deriveMaster(h, true, credential.bytes());
    } catch (RuntimeException e) {
      vault.refundAttempt(id); // never tried (overloaded): the attempt is not spent
      throw e;
    }
    try {
      if (!Sealer.verify(master, id, h)) {
        OneTimeShare.report(() -> events.wrongCredential(true));
        if (left == 0 && vault.delete(id, SecretState.BURNED)) { // the last attempt failed: the secret is destroyed
          OneTimeShare.report(events::burned);
        }
        throw new WrongCredentialException(left);
      }
      return opened(id, master, vault.claim(id).orElseThrow(SecretNotFoundException::new));
    } finally {
      Bytes.wipe(master);
    }
  }

  /** Decrypts a claimed secret as a stream; {@code master} is copied where the stream needs it. */
  /**
   * The plaintext content's length from the sealed body's: every segment carries a 16-byte tag, every one but the
   * last is {@code segmentSize + 16} bytes, and the content follows the plaintext prefix. -1 when unknown or when the
   * sizes do not add up (the stream's own checks then report the damage).
   */
  static long contentLength(long sealedBody, int segmentSize, int prefixLength) {
    if (sealedBody <= 0) {
      return -1;
    }
    long full = segmentSize + 16L;
    long segments = (sealedBody + full - 1) / full;
    long content = sealedBody - 16 * segments - prefixLength;
    return content < 0 ? -1 : content;
  }

  private OpenedStream opened(String id, byte[] master, SecretVault.ClaimedSecret claimed) {
    boolean handedOver = false;
    try {
      byte[] headerBytes = claimed.record().header();
      EnvelopeHeader ch = sealer.parse(headerBytes);
      if (claimed.record().isExpiredAt(clock.instant())) {
        throw new SecretNotFoundException();
      }
      // closing what the caller reads closes the claim itself, which gives the vault back what the body held (the
      // memory vault's budget, a file handle); closing only the body stream would keep it charged for ever
      InputStream body = new java.io.FilterInputStream(claimed.body()) {
        @Override
        public void close() throws IOException {
          claimed.close();
        }
      };
      java.io.PushbackInputStream plain = new PlainStream(sealer.opening(master, id, ch, headerBytes, body));
      PlaintextPrefix prefix = PlaintextPrefix.read(plain);
      int first = plain.read();
      if (first < 0) {
        throw new IntegrityException("The sealed content is empty, which the format does not allow.");
      }
      plain.unread(first);
      handedOver = true;
      OneTimeShare.report(() -> events.opened(prefix.kind()));
      return new OpenedStream(prefix.kind(), prefix.filename(), prefix.contentType(), plain,
          contentLength(claimed.bodyLength(), ch.segmentSize(), prefix.encode().length));
    } catch (IOException e) {
      throw new StoreUnavailableException("Reading the secret from the store failed.", e);
    } finally {
      if (!handedOver) {
        closeQuietly(claimed);
      }
    }
  }

  private static void closeQuietly(SecretVault.ClaimedSecret c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // best effort: the secret is already claimed
    }
  }


  /**
   * The opened plaintext with one byte of look-ahead. JDK 17's {@code PushbackInputStream} does not pass
   * {@code transferTo} on, so streaming a secret out would copy it through an unwiped buffer of the JDK's; this one
   * writes the pushed-back byte, then lets the opening stream write its verified segments itself.
   */
  private static final class PlainStream extends java.io.PushbackInputStream {
    PlainStream(InputStream opening) {
      super(opening, 1);
    }

    @Override
    public long transferTo(java.io.OutputStream out) throws IOException {
      byte[] back = buf;
      if (back == null) {
        throw new IOException("Stream closed");
      }
      int n = back.length - pos;
      if (n > 0) {
        out.write(back, pos, n);
        pos = back.length;
      }
      java.util.Arrays.fill(back, (byte) 0);
      return n + in.transferTo(out);
    }

    /** The look-ahead byte is plaintext too: wiped before the JDK drops the buffer. */
    @Override
    public synchronized void close() throws IOException {
      byte[] back = buf;
      if (back != null) {
        java.util.Arrays.fill(back, (byte) 0);
      }
      super.close();
    }
  }
}
