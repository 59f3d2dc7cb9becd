package io.onetimeshare.examples.server;

import io.onetimeshare.ApiTokens;
import io.onetimeshare.OneTimeShareException;
import io.onetimeshare.file.FileTokenStore;
import io.onetimeshare.redis.RedisStore;
import io.onetimeshare.redis.RedisTokenStore;
import io.onetimeshare.servlet.OptionValues;
import io.onetimeshare.spi.TokenRecord;
import io.onetimeshare.spi.TokenStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar onetimeshare-server.jar tokens create NAME [--expires 90d] | list | revoke NAME}: the operator's
 * API tokens (issue 21), in the store the server uses (the same {@code --storage}, {@code --data-dir}, {@code
 * --redis-uri} options and {@code OTS_*} variables). A new token is printed once, alone on standard output; nothing
 * keeps it but its hash.
 */
final class TokenCommand {
  static final String USAGE = """
      Usage: java -jar onetimeshare-server.jar tokens create NAME [--expires T] [storage options]
             java -jar onetimeshare-server.jar tokens list [storage options]
             java -jar onetimeshare-server.jar tokens revoke NAME [storage options]
        NAME          1-64 of A-Z a-z 0-9 . _ - (shown in logs and metrics)
        --expires T   how long the token is valid: 30d, 12h, ... (default 90d, at most 3650d)
        storage options as for the server: --storage file --data-dir DIR, or --storage redis --redis-uri URI
        [--redis-password-file FILE]; or the OTS_* variables
      """;

  private TokenCommand() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length < 2 || args[1].equals("--help") || args[1].equals("-h")) {
      err.print(USAGE);
      return args.length >= 2 ? 0 : 2;
    }
    String verb = args[1];
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
    String name = null;
    if (verb.equals("create") || verb.equals("revoke")) {
      if (rest.isEmpty() || rest.get(0).startsWith("--")) {
        err.println("onetimeshare-server tokens " + verb + ": name the token.");
        err.print(USAGE);
        return 2;
      }
      name = rest.remove(0);
    } else if (!verb.equals("list")) {
      err.println("onetimeshare-server tokens: unknown command '" + verb + "' (create, list or revoke).");
      return 2;
    }
    Duration expires = Duration.ofDays(90);
    int e = rest.indexOf("--expires");
    if (e >= 0) {
      if (!verb.equals("create") || e + 1 >= rest.size()) {
        err.println("onetimeshare-server tokens: --expires T goes with create.");
        return 2;
      }
      try {
        expires = OptionValues.duration(rest.get(e + 1));
      } catch (OneTimeShareException x) {
        err.println("onetimeshare-server tokens: --expires: " + x.getMessage());
        return 2;
      }
      rest.remove(e + 1);
      rest.remove(e);
    }
    ServerOptions o;
    try {
      o = ServerOptions.parse(rest.toArray(String[]::new), env);
    } catch (ServerOptions.BadOption x) {
      err.println("onetimeshare-server tokens: " + x.getMessage());
      return 2;
    }
    RedisStore redis = null;
    try {
      TokenStore store;
      switch (o.storage()) {
        case "file" -> store = FileTokenStore.in(o.dataDir());
        case "redis" -> {
          redis = StandaloneServer.connectRedis(o);
          store = RedisTokenStore.create(redis, "ots");
        }
        default -> {
          err.println("onetimeshare-server tokens: API tokens live in the store every instance shares; use "
              + "--storage file (with --data-dir) or --storage redis (with --redis-uri), as the server does.");
          return 2;
        }
      }
      ApiTokens tokens = ApiTokens.on(store);
      switch (verb) {
        case "create" -> {
          ApiTokens.Issued t = tokens.issue(name, expires);
          out.println(t.token());
          err.println("Token '" + name + "' created, valid until "
              + DateTimeFormatter.ISO_INSTANT.format(t.record().expiresAt()) + ". It is shown only this once: keep it"
              + " in your CI's secret store; send it as 'Authorization: Bearer <token>' or give it to ots as"
              + " OTS_TOKEN.");
        }
        case "revoke" -> {
          if (!tokens.revoke(name)) {
            err.println("onetimeshare-server tokens: there is no token called '" + name + "'.");
            return 1;
          }
          err.println("Token '" + name + "' revoked: every instance refuses it from now on.");
        }
        default -> {
          out.printf("%-24s %-24s %-24s %s%n", "NAME", "CREATED", "EXPIRES", "LAST USED");
          for (TokenRecord t : tokens.list()) {
            out.printf("%-24s %-24s %-24s %s%n", t.name(), DateTimeFormatter.ISO_INSTANT.format(t.createdAt()),
                DateTimeFormatter.ISO_INSTANT.format(t.expiresAt()) + (t.expiredAt(java.time.Instant.now())
                    ? " (expired)" : ""), t.lastUsedAt() == null ? "never"
                    : DateTimeFormatter.ISO_INSTANT.format(t.lastUsedAt()));
          }
        }
      }
      return 0;
    } catch (OneTimeShareException x) {
      err.println("onetimeshare-server tokens: " + x.getMessage());
      return 1;
    } catch (ServerOptions.BadOption x) {
      err.println("onetimeshare-server tokens: " + x.getMessage());
      return 2;
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }
}
