package io.onetimeshare.examples.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (Deque's accessibility engine, from npm) run inside the page under test: the WCAG 2.0, 2.1 and 2.2 A and AA
 * rules. The package is fetched once per build with {@code npm pack} into {@code target/axe} (npm verifies its
 * integrity); nothing of it is committed to this repository.
 */
final class Axe {
  static final String VERSION = "4.10.3";
  private static String source;

  private Axe() {}

  static synchronized String source() throws Exception {
    if (source == null) {
      Path dir = Files.createDirectories(Path.of("target/axe"));
      Path js = dir.resolve("package/axe.min.js");
      if (!Files.exists(js)) {
        run(dir, "npm", "pack", "axe-core@" + VERSION, "--pack-destination", ".", "--silent");
        run(dir, "tar", "xzf", "axe-core-" + VERSION + ".tgz");
      }
      source = Files.readString(js);
    }
    return source;
  }

  private static void run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("npm.log").toFile()).start();
    if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("npm.log")));
    }
  }

  /** The violations axe finds on the page as it is now, one line each (rule, impact, the elements' selectors). */
  @SuppressWarnings("unchecked")
  static List<String> violations(WebDriver d) throws Exception {
    JavascriptExecutor js = (JavascriptExecutor) d;
    if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
      js.executeScript(source());
    }
    Object result = ((JavascriptExecutor) d).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
            + " 'wcag22aa'] }, resultTypes: ['violations'] })"
            + ".then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '"
            + " + v.nodes.map(n => n.target.join(' ') + ' [' + (n.failureSummary || '').replace(/\\n/g, ' ') + ']')"
            + ".join('; '))))"
            + ".catch(e => done(['axe failed: ' + e]));");
    return (List<String>) result;
  }

  /** Emulates {@code prefers-color-scheme: dark} (or light) for the page through the DevTools protocol. */
  static void colourScheme(WebDriver d, String scheme) {
    ((org.openqa.selenium.chromium.ChromiumDriver) d).executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }
}
