package io.onetimeshare.examples.server;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.examples.server.signin.OidcSettings;
import io.onetimeshare.servlet.OptionValues;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may create on this server (issue 21): {@code --create-access} and, for sign-in, the OpenID Connect options.
 *
 * @param access the ways in: {@code anyone}, {@code nobody}, or any of {@code tokens} and {@code sign-in}
 * @param oidc the sign-in's settings, when {@code sign-in} is among them
 */
public record AccessOptions(Set<String> access, Optional<OidcSettings> oidc) {
  static final List<String> NAMES = List.of("create-access", "oidc-issuer", "oidc-client-id",
      "oidc-client-secret-file", "oidc-scopes", "oidc-allowed-domains", "oidc-allowed-groups", "oidc-groups-claim",
      "session-key-file", "session-lifetime");

  public AccessOptions {
    access = Set.copyOf(access);
  }

  public boolean anyone() {
    return access.contains("anyone");
  }

  public boolean nobody() {
    return access.contains("nobody");
  }

  public boolean tokens() {
    return access.contains("tokens");
  }

  public boolean signIn() {
    return access.contains("sign-in");
  }

  static AccessOptions parse(Map<String, String> v, Map<String, String> env, String storage,
      Optional<URI> publicUrl) {
    Set<String> access = new TreeSet<>();
    for (String a : v.getOrDefault("create-access", "anyone").split(",")) {
      String s = a.trim().toLowerCase(java.util.Locale.ROOT);
      if (!List.of("anyone", "nobody", "tokens", "sign-in").contains(s)) {
        throw new ServerOptions.BadOption("--create-access is anyone, nobody, tokens, sign-in or tokens,sign-in, "
            + "not '" + a.trim() + "'.");
      }
      access.add(s);
    }
    if ((access.contains("anyone") || access.contains("nobody")) && access.size() > 1) {
      throw new ServerOptions.BadOption("--create-access: anyone and nobody stand alone; combine only tokens and "
          + "sign-in.");
    }
    if (access.contains("tokens") && storage.equals("memory")) {
      throw new ServerOptions.BadOption("--create-access tokens needs --storage file or redis: API tokens live in the "
          + "store, where the tokens command and every instance find them.");
    }
    Optional<OidcSettings> oidc = Optional.empty();
    if (access.contains("sign-in")) {
      oidc = Optional.of(oidc(v, env, publicUrl));
    } else {
      for (String n : NAMES) {
        if (n.startsWith("oidc-") && v.containsKey(n)) {
          throw new ServerOptions.BadOption("--" + n + " is only used with --create-access sign-in.");
        }
      }
    }
    return new AccessOptions(access, oidc);
  }

  private static OidcSettings oidc(Map<String, String> v, Map<String, String> env, Optional<URI> publicUrl) {
    String issuer = v.get("oidc-issuer");
    String client = v.get("oidc-client-id");
    if (issuer == null || client == null) {
      throw new ServerOptions.BadOption("--create-access sign-in needs --oidc-issuer and --oidc-client-id.");
    }
    URI iss;
    try {
      iss = new URI(issuer.trim());
      if (iss.getHost() == null || !(iss.getScheme().equals("https") || iss.getScheme().equals("http"))) {
        throw new java.net.URISyntaxException(issuer, "not an http(s) URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw new ServerOptions.BadOption("--oidc-issuer must be the provider's issuer URL, not '" + issuer + "'.");
    }
    String secret;
    if (v.containsKey("oidc-client-secret-file")) {
      secret = firstLine(Path.of(v.get("oidc-client-secret-file")), "oidc-client-secret-file");
    } else if (env.get("OTS_OIDC_CLIENT_SECRET") != null && !env.get("OTS_OIDC_CLIENT_SECRET").isBlank()) {
      secret = env.get("OTS_OIDC_CLIENT_SECRET").strip();
    } else {
      throw new ServerOptions.BadOption("--create-access sign-in needs the client secret: --oidc-client-secret-file "
          + "FILE or the environment variable OTS_OIDC_CLIENT_SECRET.");
    }
    byte[] key;
    boolean configured = v.containsKey("session-key-file");
    if (configured) {
      String k = firstLine(Path.of(v.get("session-key-file")), "session-key-file");
      if (k.length() < 32) {
        throw new ServerOptions.BadOption("--session-key-file: the key must be at least 32 characters (e.g. the output"
            + " of: openssl rand -base64 32).");
      }
      key = k.getBytes(StandardCharsets.UTF_8);
    } else {
      key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
    }
    Duration lifetime;
    try {
      lifetime = OptionValues.duration(v.getOrDefault("session-lifetime", "2h"));
    } catch (InvalidArgumentException e) {
      throw new ServerOptions.BadOption("--session-lifetime: " + e.getMessage());
    }
    if (lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofDays(1)) > 0) {
      throw new ServerOptions.BadOption("--session-lifetime is from 1m to 1d.");
    }
    return new OidcSettings(iss, client.trim(), secret, list(v.getOrDefault("oidc-scopes", "openid email profile")),
        list(v.getOrDefault("oidc-allowed-domains", "")), list(v.getOrDefault("oidc-allowed-groups", "")),
        v.getOrDefault("oidc-groups-claim", "groups").trim(), key, configured, lifetime, publicUrl);
  }

  private static List<String> list(String s) {
    return Arrays.stream(s.split("[,\\s]+")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static String firstLine(Path file, String option) {
    try {
      String line = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      if (line.isEmpty()) {
        throw new ServerOptions.BadOption("--" + option + ": " + file + " is empty.");
      }
      return line;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ServerOptions.BadOption b) {
        throw b;
      }
      throw new ServerOptions.BadOption("--" + option + ": cannot read " + file + ".");
    }
  }
}
