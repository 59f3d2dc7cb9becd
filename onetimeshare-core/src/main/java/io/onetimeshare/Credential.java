package io.onetimeshare;

import io.onetimeshare.spi.Cipher;
import io.onetimeshare.internal.Bytes;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What opens a secret: the random key from the link, or the passphrase. Holds its bytes privately; {@link
 * #toString()} never shows them; {@link #wipe()} overwrites them.
 *
 * @since 0.1
 */
public final class Credential {
  /** Longest passphrase accepted, in UTF-8 bytes. */
  public static final int MAX_PASSPHRASE_BYTES = 1024;

  private final boolean passphrase;
  private final byte[] bytes;

  private Credential(boolean passphrase, byte[] bytes) {
    this.passphrase = passphrase;
    this.bytes = bytes;
  }

  /** The key as given in a receipt or link: 43 base64url characters. */
  public static Credential key(String base64UrlKey) {
    Objects.requireNonNull(base64UrlKey, "key");
    if (base64UrlKey.length() != 43) {
      throw new InvalidArgumentException("A key is 43 base64url characters (256 bits).");
    }
    return key(Bytes.fromBase64Url(base64UrlKey, "key"));
  }

  /** The raw 32-byte key. Copied. */
  public static Credential key(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != Cipher.KEY_LENGTH) {
      throw new InvalidArgumentException("A key is 32 bytes (256 bits).");
    }
    return new Credential(false, key.clone());
  }

  /** A passphrase (1 to 1024 UTF-8 bytes). The array is copied; wipe your own copy. */
  public static Credential passphrase(char[] passphrase) {
    return new Credential(true, passphraseBytes(passphrase));
  }

  public static Credential passphrase(String passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    char[] c = passphrase.toCharArray();
    try {
      return passphrase(c);
    } finally {
      Arrays.fill(c, '\0');
    }
  }

  static byte[] passphraseBytes(char[] passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    if (passphrase.length == 0) {
      throw new InvalidArgumentException("The passphrase is empty.");
    }
    ByteBuffer buf;
    try {
      buf = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(passphrase));
    } catch (CharacterCodingException e) {
      throw new InvalidArgumentException("The passphrase is not valid Unicode text.");
    }
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), buf.arrayOffset(), buf.arrayOffset() + buf.capacity(), (byte) 0);
    }
    if (out.length > MAX_PASSPHRASE_BYTES) {
      Arrays.fill(out, (byte) 0);
      throw new InvalidArgumentException("The passphrase is longer than " + MAX_PASSPHRASE_BYTES + " bytes.");
    }
    return out;
  }

  public boolean isPassphrase() {
    return passphrase;
  }

  byte[] bytes() {
    return bytes;
  }

  /** Overwrites the held key or passphrase. */
  public void wipe() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return passphrase ? "Credential[passphrase=***]" : "Credential[key=***]";
  }
}
