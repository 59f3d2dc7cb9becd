package io.onetimeshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.onetimeshare.ClientEnvelope;
import io.onetimeshare.SecretKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "answer", mixinStandardHelpOptions = true,
    description = {"Answers a secret request (issue 23): seals FILE (or standard input) here to the asker's public key "
        + "and uploads only the ciphertext. A request takes one answer.",
        "Refuses when the server's key for the request is not the one the fill link names (a server or connection "
            + "that swapped it)."})
final class AnswerCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILL_LINK", description = "The link you were sent (asked for "
      + "when left out, or read from standard input when FILE is given).")
  @Nullable String fillLink;

  @Parameters(index = "1", arity = "0..1", paramLabel = "FILE|-", description = "The file to send; standard input "
      + "(a text) when left out or '-'.")
  @Nullable String file;

  @Option(names = "--name", paramLabel = "NAME", description = "Send standard input as a file of this name.")
  @Nullable String name;

  @Override
  public Integer call() throws IOException {
    FillLink link = FillLink.parse(Terminal.link(fillLink, "fill link"));
    boolean stdin = file == null || file.equals("-");
    Path path = stdin ? null : Path.of(file);
    if (path != null && !Files.isRegularFile(path)) {
      throw new CliException(Ots.USAGE, "No such file: " + file);
    }
    Api api = new Api(link.base());
    String id = link.id();
    JsonNode r = api.secretRequest(id);
    byte[] publicKey = Base64.getUrlDecoder().decode(r.path("publicKey").asText());
    if (!MessageDigest.isEqual(link.fingerprint(), ClientEnvelope.fingerprint(publicKey))) {
      throw new CliException(Ots.DAMAGED, "The server's key for this request is not the one the link names: it was "
          + "swapped. Nothing was sent; tell the person who asked.");
    }
    if (r.path("answered").asBoolean()) {
      throw new CliException(Ots.USAGE, "This request has been answered already; it takes one answer.");
    }
    if (link.label() != null) {
      System.err.println("Asked for: " + TerminalText.escape(link.label()));
    }
    SecretKind kind = stdin && name == null ? SecretKind.TEXT : SecretKind.FILE;
    String filename = path != null ? String.valueOf(path.getFileName()) : name;
    // sealed first (issue 36, finding 10): a key nobody can seal to fails here, before the request's one answer is
    // taken (it used to be taken first and kept, so the request read "answered" and refused every answer for an hour)
    ClientEnvelope.Sealing sealing;
    try {
      sealing = ClientEnvelope.sealTo(id, ShareCommand.SEGMENT, publicKey, kind, filename, null);
    } catch (RuntimeException e) {
      throw new CliException(Ots.DAMAGED, "This request's key cannot be sealed to (" + e.getClass().getSimpleName()
          + "); nothing was sent and the request still takes an answer. Tell the person who asked.");
    }
    long size = path == null ? -1 : Files.size(path);
    JsonNode t = api.beginAnswer(id, link.answerToken(), ShareCommand.SEGMENT);
    CryptoWarmup.startIf(size);
    Progress bar = new Progress(System.err, Terminal.console() != null && size > 1 << 20, "Sealing and uploading",
        size);
    try (InputStream in = path == null ? System.in : Files.newInputStream(path)) {
      // a failure from here on withdraws the ticket (Uploading.send), so the request takes an answer again
      Uploading.send(api, id, Api.checked(t, "deleteToken"), ShareCommand.SEGMENT + 16,
          t.path("maxRequestBytes").asLong(8 << 20), sealing, in, bar);
    }
    System.err.println("Answered: only the person who asked can open it, once.");
    return Ots.OK;
  }
}
