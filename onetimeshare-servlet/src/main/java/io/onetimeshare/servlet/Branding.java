package io.onetimeshare.servlet;

import io.onetimeshare.InvalidArgumentException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The operator's name on the page (issue 24): product name, logo, accent colour, footer links (imprint, privacy) and a
 * notice. Served as {@code assets/brand.json} and {@code assets/brand.css} (so nothing is inline and the strict CSP
 * stays as it is) and {@code assets/brand-logo}. The same option names serve the standalone server ({@code
 * --brand-*}) and a WAR's init parameters.
 *
 * @param name shown as the product's name (1 to 60 characters)
 * @param logo the logo's bytes (PNG, JPEG, WebP or SVG, at most 256 KiB), or null
 * @param logoType its media type
 * @param accent the accent colour, {@code #rrggbb}, or null for the default
 * @param footerLinks links shown in the footer, in order
 * @param notice a short text shown in the footer (at most 500 characters), or null
 * @since 0.3
 */
public record Branding(String name, byte @Nullable [] logo, @Nullable String logoType, @Nullable String accent,
    List<Link> footerLinks, @Nullable String notice) {
  /** The default: OneTimeShare, no logo, the default colour, no footer. */
  public static final Branding DEFAULT = new Branding("OneTimeShare", null, null, null, List.of(), null);
  /** The option names, without a prefix. */
  public static final List<String> OPTIONS = List.of("brand-name", "brand-logo", "brand-accent",
      "brand-footer-links", "brand-notice");
  private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");
  private static final int MAX_LOGO = 256 * 1024;

  /** A footer link: its text and an {@code https}, {@code http} or {@code mailto} address. */
  public record Link(String label, String url) {
    public Link {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(url, "url");
    }
  }

  public Branding {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 60) {
      throw new InvalidArgumentException("The product name must be 1 to 60 characters.");
    }
    if ((logo == null) != (logoType == null)) {
      throw new IllegalArgumentException("a logo has a media type");
    }
    logo = logo == null ? null : logo.clone();
    if (accent != null && !COLOUR.matcher(accent).matches()) {
      throw new InvalidArgumentException("The accent colour must be #rrggbb, e.g. #2f6fed, not '" + accent + "'.");
    }
    footerLinks = List.copyOf(footerLinks);
    if (notice != null && notice.length() > 500) {
      throw new InvalidArgumentException("The notice must be at most 500 characters.");
    }
  }

  @Override
  public byte @Nullable [] logo() {
    return logo == null ? null : logo.clone();
  }

  /**
   * Reads the {@code brand-*} options; {@code prefix} names them in messages ({@code "--"}, {@code "init parameter "}).
   *
   * @throws InvalidArgumentException a value that is not allowed, with the option's name
   */
  public static Branding parse(Function<String, @Nullable String> option, String prefix) {
    String name = option.apply("brand-name");
    String logoPath = option.apply("brand-logo");
    byte[] logo = null;
    String type = null;
    if (logoPath != null && !logoPath.isBlank()) {
      Path p = Path.of(logoPath.trim());
      try {
        if (Files.size(p) > MAX_LOGO) {
          throw new InvalidArgumentException(prefix + "brand-logo: the logo is larger than 256 KiB.");
        }
        logo = Files.readAllBytes(p);
      } catch (IOException e) {
        throw new InvalidArgumentException(prefix + "brand-logo: cannot read " + p + ".");
      }
      type = logoType(logo);
      if (type == null) {
        throw new InvalidArgumentException(prefix + "brand-logo: not a PNG, JPEG, WebP or SVG image.");
      }
    }
    String accent = option.apply("brand-accent");
    String notice = option.apply("brand-notice");
    try {
      return new Branding(name == null || name.isBlank() ? DEFAULT.name() : name.trim(), logo, type,
          accent == null || accent.isBlank() ? null : accent.trim(), links(option.apply("brand-footer-links"), prefix),
          notice == null || notice.isBlank() ? null : notice.trim());
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(prefix + "brand-*: " + e.getMessage());
    }
  }

  private static List<Link> links(@Nullable String spec, String prefix) {
    List<Link> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String item : spec.split(",")) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new InvalidArgumentException(prefix + "brand-footer-links: write Label=https://..., not '" + item + "'.");
      }
      String label = item.substring(0, eq).trim();
      String url = item.substring(eq + 1).trim();
      String scheme;
      try {
        scheme = Objects.requireNonNullElse(new URI(url).getScheme(), "").toLowerCase(Locale.ROOT);
      } catch (URISyntaxException e) {
        scheme = "";
      }
      if (label.isEmpty() || label.length() > 60 || !(scheme.equals("https") || scheme.equals("http")
          || scheme.equals("mailto"))) {
        throw new InvalidArgumentException(prefix + "brand-footer-links: '" + item + "' needs a label of 1 to 60 "
            + "characters and an https, http or mailto address.");
      }
      out.add(new Link(label, url));
    }
    return out;
  }

  private static @Nullable String logoType(byte[] b) {
    if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return "image/png";
    }
    if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
      return "image/jpeg";
    }
    if (b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E') {
      return "image/webp";
    }
    String head = new String(b, 0, Math.min(b.length, 512), java.nio.charset.StandardCharsets.UTF_8).trim();
    if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.contains("<svg"))) {
      return "image/svg+xml";
    }
    return null;
  }

  /** The text colour that reads on the accent (WCAG contrast 4.5:1 or better): white, else near-black. */
  static String onAccent(String accent) {
    return contrast(luminance(accent), 1.0) >= 4.5 ? "#ffffff" : "#111111";
  }

  private static double luminance(String hex) {
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      double v = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
      c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  private static double contrast(double a, double b) {
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }

  /** {@code assets/brand.css}: the accent as custom properties (none when the default is kept). */
  String css() {
    return accent == null ? "/* the default colours */\n"
        : ":root { --accent: " + accent + "; --on-accent: " + onAccent(accent) + "; }\n";
  }
}
