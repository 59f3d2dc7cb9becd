package io.onetimeshare.servlet;

import io.onetimeshare.InvalidArgumentException;
import io.onetimeshare.OneTimeShare;
import io.onetimeshare.file.FileSecretVault;
import io.onetimeshare.memory.InMemoryRateLimiter;
import io.onetimeshare.memory.InMemorySecretVault;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Builds the service and its settings from a container's init parameters, for deployments where the container
 * creates the servlet (web.xml or annotations) and nothing else wires it: {@code storage} ({@code memory} or {@code
 * file}), {@code data-dir}, {@code memory-capacity}, {@code max-size}, {@code default-ttl}, {@code rate-create},
 * {@code rate-open}, {@code rate-create-bytes}, {@code trusted-proxies}, {@code public-url}, {@code create-access},
 * and the {@code notify-*} parameters of {@link io.onetimeshare.servlet.notify.NotifyConfig}. A bad value fails with
 * an {@link InvalidArgumentException} naming the parameter.
 */
final class InitParams {
  record Built(OneTimeShare ots, ServletSettings settings,
      io.onetimeshare.servlet.notify.@org.jspecify.annotations.Nullable Notifier notifier) {}

  private InitParams() {}

  static Built build(Function<String, String> params) {
    OneTimeShare.Builder b = OneTimeShare.builder();
    String storage = param(params, "storage", "memory");
    long capacity;
    switch (storage) {
      case "file" -> {
        b.vault(FileSecretVault.builder(Path.of(param(params, "data-dir", "ots-data"))).build());
        capacity = -1;
      }
      case "memory" -> {
        capacity = named("memory-capacity", () -> OptionValues.size(param(params, "memory-capacity",
            Long.toString(InMemorySecretVault.Builder.defaultMaxBytes()))));
        b.vault(InMemorySecretVault.builder().maxBytes(capacity).build());
      }
      default -> throw new InvalidArgumentException("init parameter storage must be memory or file, not '"
          + storage + "'.");
    }
    long max = named("max-size", () -> OptionValues.size(param(params, "max-size", "10MB")));
    b.maxContentBytes(max);
    named("default-ttl", () -> b.defaultTtl(OptionValues.duration(param(params, "default-ttl", "1d"))));
    ServletSettings.Builder s = ServletSettings.builder();
    named("rate-create", () -> OptionValues.rate(param(params, "rate-create", "100/1h")))
        .ifPresent(r -> s.createLimiter(InMemoryRateLimiter.builder(r).build()));
    named("rate-open", () -> OptionValues.rate(param(params, "rate-open", "300/1h")))
        .ifPresent(r -> s.openLimiter(InMemoryRateLimiter.builder(r).build()));
    String dflt = OptionValues.defaultByteBudget(capacity > 0 ? capacity : 4L << 30).toString();
    named("rate-create-bytes", () -> OptionValues.byteRate(param(params, "rate-create-bytes", dflt)))
        .ifPresent(r -> s.createBytesLimiter(InMemoryRateLimiter.builder(r).build()));
    String proxies = param(params, "trusted-proxies", "");
    if (!proxies.isBlank()) {
      named("trusted-proxies", () -> s.trustedProxies(proxies));
    }
    String pub = param(params, "public-url", "");
    if (!pub.isBlank()) {
      named("public-url", () -> s.publicUrl(URI.create(pub)));
    }
    String access = param(params, "create-access", "anyone").trim();
    s.createPolicy(named("create-access", () -> containerPolicy(access)));
    // the page's branding (issue 24): the same brand-* names as the standalone server's options
    s.branding(Branding.parse(params, "init parameter "));
    // signed webhooks (issue 22): the same notify-* names as the standalone server's options
    io.onetimeshare.servlet.notify.NotifyConfig notify = io.onetimeshare.servlet.notify.NotifyConfig.parse(
        params, System::getenv, "init parameter ");
    b.notifyEndpoints(notify.targets());
    if (notify.callbacks()) {
      s.notifyCallbacks(notify.policy());
    }
    OneTimeShare ots = b.build();
    return new Built(ots, s.build(), notify.enabled() ? notify.notifier(ots.outbox().orElseThrow()).build() : null);
  }

  /**
   * {@code anyone}, {@code nobody}, {@code authenticated} (any principal the container authenticated) or {@code
   * role:NAME} (principals in that container role): a container's own sign-in decides who may create (issue 21).
   */
  static CreatePolicy containerPolicy(String access) {
    if (access.startsWith("role:") && access.length() > 5) {
      return CreatePolicy.inRole(access.substring(5));
    }
    return switch (access) {
      case "anyone" -> CreatePolicy.anyone();
      case "nobody" -> CreatePolicy.nobody();
      case "authenticated" -> CreatePolicy.authenticated();
      default -> throw new InvalidArgumentException(
          "must be anyone, nobody, authenticated or role:NAME, not '" + access + "'.");
    };
  }

  private static String param(Function<String, String> params, String name, String dflt) {
    String v = params.apply(name);
    return v == null ? dflt : v.trim();
  }

  private static <T> T named(String name, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (RuntimeException e) {
      throw new InvalidArgumentException("init parameter " + name + ": " + e.getMessage());
    }
  }
}
