package io.onetimeshare.examples.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the chart promises of every rendered object (issue 38): the restricted Pod Security Standard (non-root 65532,
 * a read-only root filesystem, every capability dropped, no privilege escalation, seccomp RuntimeDefault), the three
 * probes on the right paths, requests and limits, an image by version or digest (never {@code latest}), a grace
 * period above the shutdown grace and the preStop pause, no secret in a ConfigMap or the environment, and a network
 * policy for both directions. Returns what is broken, in words.
 */
final class Policies {
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|credential|session_key).*");

  private Policies() {
  }

  static List<String> check(List<JsonNode> docs, String kube) {
    List<String> broken = new ArrayList<>();
    boolean policy = false;
    for (JsonNode d : docs) {
      String kind = d.path("kind").asText();
      String name = kind + "/" + d.path("metadata").path("name").asText();
      if (!d.path("metadata").path("labels").has("app.kubernetes.io/name")) {
        broken.add(name + ": no app.kubernetes.io/name label");
      }
      switch (kind) {
        case "Deployment" -> deployment(d, name, kube, broken);
        case "ConfigMap" -> d.path("data").fieldNames().forEachRemaining(k -> {
          if (SECRET_NAME.matcher(k).matches() && !k.endsWith("_FILE") && !k.endsWith("_FILES")) {
            broken.add(name + ": " + k + " looks like a secret in a ConfigMap");
          }
        });
        case "Secret" -> broken.add(name + ": the chart renders no Secret (it names the operator's)");
        case "NetworkPolicy" -> {
          policy = true;
          if (d.path("spec").path("policyTypes").size() != 2) {
            broken.add(name + ": not both Ingress and Egress");
          }
        }
        default -> { }
      }
    }
    boolean wantPolicy = docs.stream().anyMatch(d -> d.path("kind").asText().equals("Deployment"));
    if (wantPolicy && !policy && !docs.isEmpty()) {
      // the default values enable it; a values file that disables it says so (none of ours does)
      broken.add("no NetworkPolicy");
    }
    return broken;
  }

  private static void deployment(JsonNode d, String name, String kube, List<String> broken) {
    JsonNode pod = d.path("spec").path("template").path("spec");
    JsonNode psc = pod.path("securityContext");
    expect(psc.path("runAsNonRoot").asBoolean(), name + ": pod runAsNonRoot", broken);
    expect(psc.path("runAsUser").asInt() == 65532, name + ": pod runAsUser 65532", broken);
    expect(psc.path("seccompProfile").path("type").asText().equals("RuntimeDefault"), name + ": seccomp", broken);
    expect(!pod.path("automountServiceAccountToken").asBoolean(true), name + ": no service account token", broken);
    int grace = pod.path("terminationGracePeriodSeconds").asInt();
    for (JsonNode c : pod.path("containers")) {
      String cn = name + " container " + c.path("name").asText();
      JsonNode sc = c.path("securityContext");
      expect(sc.path("readOnlyRootFilesystem").asBoolean(), cn + ": read-only root filesystem", broken);
      expect(sc.has("allowPrivilegeEscalation") && !sc.path("allowPrivilegeEscalation").asBoolean(),
          cn + ": no privilege escalation", broken);
      expect(sc.path("capabilities").path("drop").toString().contains("\"ALL\""), cn + ": drops ALL", broken);
      String image = c.path("image").asText();
      expect(!image.endsWith(":latest") && (image.contains("@sha256:") || image.matches(".*:[^/]+")),
          cn + ": image by version or digest, not " + image, broken);
      expect(c.path("readinessProbe").path("httpGet").path("path").asText().equals("/ready"),
          cn + ": readiness probe on /ready", broken);
      expect(c.path("livenessProbe").path("httpGet").path("path").asText().equals("/health"),
          cn + ": liveness probe on /health", broken);
      expect(c.has("startupProbe"), cn + ": startup probe", broken);
      expect(c.path("resources").path("requests").has("cpu") && c.path("resources").path("requests").has("memory")
          && c.path("resources").path("limits").has("memory"), cn + ": requests and a memory limit", broken);
      for (JsonNode e : c.path("env")) {
        String n = e.path("name").asText();
        expect(!e.has("valueFrom"), cn + ": " + n + " from a Secret in the environment", broken);
        expect(!SECRET_NAME.matcher(n).matches() || n.endsWith("_FILE") || n.endsWith("_FILES"), cn + ": " + n + " in the environment",
            broken);
      }
      JsonNode preStop = c.path("lifecycle").path("preStop");
      int pause = preStop.has("sleep") ? preStop.path("sleep").path("seconds").asInt() : 10;
      expect(preStop.has("sleep") || preStop.has("exec"), cn + ": a preStop pause", broken);
      if (kube.compareTo("1.30.0") < 0) {
        expect(!preStop.has("sleep"), cn + ": the sleep action needs Kubernetes 1.30", broken);
      }
      expect(grace > pause + 20, cn + ": grace period " + grace + " s above the shutdown grace and the pause",
          broken);
      for (JsonNode m : c.path("volumeMounts")) {
        if (m.path("mountPath").asText().startsWith("/run/secrets")) {
          expect(m.path("readOnly").asBoolean(), cn + ": secret mount " + m.path("mountPath").asText()
              + " read-only", broken);
        }
      }
    }
  }

  private static void expect(boolean ok, String what, List<String> broken) {
    if (!ok) {
      broken.add(what);
    }
  }
}
