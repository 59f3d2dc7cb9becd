package io.onetimeshare.examples.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 38: the chart checked without a cluster (no API server runs on these machines). Helm 3, embedded by helm-java,
 * lints the chart strictly and renders it for three Kubernetes minor versions with the defaults and every values
 * file; each rendered object is read into the Kubernetes model (fabric8, Kubernetes 1.34's API) with unknown fields
 * refused ({@link StrictModel}), checked against the API of the version it was rendered for ({@link KubeSchemas}),
 * and held to the policies the chart promises ({@link Policies}). A typo in a value or
 * in a template's field fails, as do configurations the chart must refuse.
 */
class ChartTest {
  static final Path CHART = Path.of("onetimeshare");
  static final List<String> KUBE = List.of("1.30.0", "1.32.0", "1.34.0");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Path> valuesFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("values"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  /** Renders {@code chart} for Kubernetes {@code kube}, with {@code values} (null: the defaults). */
  static List<JsonNode> render(Path chart, String kube, Path values, Map<String, Object> set) throws IOException {
    TemplateCommand t = new Helm(chart).template().withName("ots").withNamespace("secrets").withKubeVersion(kube);
    if (values != null) {
      t.withValuesFile(values);
    }
    set.forEach(t::set);
    String out = t.call();
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(out)) {
      for (JsonNode n : YAML.readValues(parser, JsonNode.class).readAll()) {
        if (n != null && !n.isNull() && !n.isEmpty()) {
          docs.add(n);
        }
      }
    }
    return docs;
  }

  @Test
  void theChartLintsStrictly() {
    LintResult r = new Helm(CHART).lint().strict().call();
    assertFalse(r.isFailed(), String.join("\n", r.getMessages()));
  }

  @Test
  void everyValuesFileRendersForThreeKubernetesVersionsIntoValidObjectsThatKeepThePolicies() throws Exception {
    List<Path> files = new ArrayList<>(valuesFiles());
    files.add(0, null);
    int objects = 0;
    int schemaChecks = 0;
    for (Path values : files) {
      for (String kube : KUBE) {
        String what = (values == null ? "defaults" : values.getFileName()) + " on Kubernetes " + kube;
        List<JsonNode> docs = render(CHART, kube, values, Map.of());
        assertTrue(docs.stream().anyMatch(d -> d.path("kind").asText().equals("Deployment")), what);
        for (JsonNode d : docs) {
          List<String> unknown = StrictModel.unknownFields(d);
          assertEquals(List.of(), unknown, what + ": " + d.path("kind").asText() + " has fields the API does not know");
          if (KubeSchemas.knows(d)) {
            assertEquals(List.of(), KubeSchemas.refusals(kube, d), what + ": that version's own API");
            schemaChecks++;
          }
        }
        List<String> broken = Policies.check(docs, kube);
        assertEquals(List.of(), broken, what);
        objects += docs.size();
      }
    }
    assertTrue(objects > 50, "objects checked: " + objects);
    assertTrue(schemaChecks > 40, "objects checked against their version's own API: " + schemaChecks);
  }

  @Test
  void aTypoInAValueIsRefused() {
    Exception e = assertThrows(Exception.class, () -> render(CHART, "1.34.0", null, Map.of("replicaCont", 3)));
    assertTrue(e.getMessage().contains("replicaCont") || e.getMessage().contains("additional"), e.getMessage());
    assertThrows(Exception.class, () -> render(CHART, "1.34.0", null, Map.of("image.tag", "latest")),
        "the latest tag is refused");
  }

  @Test
  void aTypoInATemplatesFieldIsFound(@TempDir Path dir) throws Exception {
    Path copy = dir.resolve("onetimeshare");
    copyTree(CHART, copy);
    Path deployment = copy.resolve("templates/deployment.yaml");
    Files.writeString(deployment, Files.readString(deployment).replace("readinessProbe:", "readinesProbe:"));
    List<JsonNode> docs = render(copy, "1.34.0", null, Map.of());
    JsonNode d = docs.stream().filter(n -> n.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
    List<String> unknown = StrictModel.unknownFields(d);
    assertTrue(unknown.stream().anyMatch(u -> u.contains("readinesProbe")), unknown.toString());
    for (String kube : KUBE) {
      List<String> refused = KubeSchemas.refusals(kube, d);
      assertTrue(refused.stream().anyMatch(r -> r.contains("readinesProbe")), kube + ": " + refused);
    }
    assertTrue(Policies.check(docs, "1.34.0").stream().anyMatch(p -> p.contains("readiness")),
        "and the policies miss the readiness probe");
  }

  /**
   * The versions' schemas differ where Kubernetes did: a pod's own resources ({@code spec.resources}, pod-level
   * requests and limits, new in 1.32) are refused by 1.30's API and accepted by 1.32's and 1.34's.
   */
  @Test
  void eachVersionIsCheckedAgainstItsOwnApi() throws Exception {
    JsonNode d = render(CHART, "1.34.0", null, Map.of()).stream()
        .filter(n -> n.path("kind").asText().equals("Deployment")).findFirst().orElseThrow().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) d.path("spec").path("template").path("spec"))
        .putObject("resources").putObject("limits").put("memory", "1Gi");
    assertTrue(KubeSchemas.refusals("1.30.0", d).stream().anyMatch(r -> r.contains("resources")),
        KubeSchemas.refusals("1.30.0", d).toString());
    assertEquals(List.of(), KubeSchemas.refusals("1.32.0", d));
    assertEquals(List.of(), KubeSchemas.refusals("1.34.0", d));
  }

  @Test
  void configurationsThatCannotWorkAreRefusedWithAMessage() {
    Exception memory = assertThrows(Exception.class, () -> render(CHART, "1.34.0", null,
        Map.of("storage.kind", "memory", "autoscaling.enabled", false, "replicaCount", 2)));
    assertTrue(memory.getMessage().contains("keeps secrets in one instance"), memory.getMessage());
    Exception s3 = assertThrows(Exception.class, () -> render(CHART, "1.34.0", null, Map.of("bodies.kind", "s3")));
    assertTrue(s3.getMessage().contains("bucket"), s3.getMessage());
    Exception signIn = assertThrows(Exception.class, () -> render(CHART, "1.34.0", null,
        Map.of("server.createAccess", "sign-in")));
    assertTrue(signIn.getMessage().contains("session key"), signIn.getMessage());
  }

  @Test
  void secretsAreMountedFilesNeverValues() throws Exception {
    List<JsonNode> docs = render(CHART, "1.34.0", Path.of("values/sign-in-webhooks.yaml"), Map.of());
    assertFalse(docs.stream().anyMatch(d -> d.path("kind").asText().equals("Secret")),
        "the chart renders no Secret: it names the operator's");
    JsonNode dep = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
    JsonNode pod = dep.path("spec").path("template").path("spec");
    List<String> secretVolumes = new ArrayList<>();
    pod.path("volumes").forEach(v -> {
      if (v.has("secret")) {
        secretVolumes.add(v.path("secret").path("secretName").asText());
      }
    });
    assertEquals(List.of("ots-redis", "ots-oidc", "ots-session", "ots-webhooks"), secretVolumes);
    for (JsonNode e : pod.path("containers").get(0).path("env")) {
      assertFalse(e.has("valueFrom"), "no secret in the environment: " + e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  @Test
  void theChartsFilesAreThere() {
    for (String f : List.of("Chart.yaml", "values.yaml", "values.schema.json", "templates/NOTES.txt")) {
      assertTrue(Files.isRegularFile(CHART.resolve(f)), f);
    }
  }
}
