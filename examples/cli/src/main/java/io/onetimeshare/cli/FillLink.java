package io.onetimeshare.cli;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A secret request's fill link as docs/format.md ("Fill links") writes it: {@code <server>/a/<id>#<fingerprint>.<answer
 * token>[.<label>]}. The fingerprint names the asker's key (a swapped key is refused), the answer token is what lets
 * its holder answer (issue 36, finding 1), the label says what is asked for.
 *
 * @param base the server's base, ending in {@code /}
 * @param id the request's id
 * @param fingerprint the 16-byte fingerprint of the asker's public key
 * @param answerToken 43 base64url characters
 * @param label the label, or null when the link has none
 */
record FillLink(URI base, String id, byte[] fingerprint, String answerToken, @Nullable String label) {
  private static final Pattern FILL = Pattern.compile("(https?://[^#?\\s]+?/)a/([A-Za-z0-9_-]{22})/?#"
      + "([A-Za-z0-9_-]{22})(?:\\.([A-Za-z0-9_-]*))?(?:\\.([A-Za-z0-9_-]*))?");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

  FillLink {
    fingerprint = fingerprint.clone();
  }

  @Override
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  /**
   * Reads a fill link; refuses (exit 2, nothing sent) one that is not a fill link, one whose label is not UTF-8, and
   * one from before answer tokens (its request cannot be answered safely: the asker must ask again).
   */
  static FillLink parse(String link) {
    Matcher m = FILL.matcher(link.strip());
    if (!m.matches()) {
      throw new CliException(Ots.USAGE, "That is not a request's fill link "
          + "(https://host/a/<id>#<fingerprint>.<answer token>[.<label>]).");
    }
    String token = m.group(4);
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new CliException(Ots.USAGE, "This fill link carries no answer token: it was cut short, or it was made by "
          + "an earlier version. Ask the person who asked for the whole link, or for a new request.");
    }
    String label = null;
    if (m.group(5) != null && !m.group(5).isEmpty()) {
      try {
        label = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Base64.getUrlDecoder()
            .decode(m.group(5)))).toString();
      } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
        throw new CliException(Ots.USAGE, "This fill link's label is damaged. Ask for the whole link again.");
      }
    }
    return new FillLink(URI.create(m.group(1)), m.group(2), Base64.getUrlDecoder().decode(m.group(3)), token, label);
  }
}
