package io.onetimeshare.examples.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Each rendered object checked against the API of the Kubernetes minor version it was rendered for (issue 38): the
 * official Java client's models of that version (client-java 22, 24 and 26: Kubernetes 1.30, 1.32 and 1.34), copied
 * by the build under {@code target/k8s-schemas/<minor>/} and loaded each in a class loader of its own. Their
 * {@code validateJsonElement} refuses a field the version's OpenAPI does not define, at any depth, and a value of
 * the wrong shape; {@link StrictModel} does the same against one model for every version. The Prometheus operator's
 * ServiceMonitor is no part of Kubernetes' API and is left to {@link StrictModel}.
 */
final class KubeSchemas {
  private static final Map<String, String> MODELS = Map.of(
      "v1/ConfigMap", "V1ConfigMap", "v1/Service", "V1Service", "v1/ServiceAccount", "V1ServiceAccount",
      "v1/PersistentVolumeClaim", "V1PersistentVolumeClaim", "apps/v1/Deployment", "V1Deployment",
      "networking.k8s.io/v1/Ingress", "V1Ingress", "networking.k8s.io/v1/NetworkPolicy", "V1NetworkPolicy",
      "policy/v1/PodDisruptionBudget", "V1PodDisruptionBudget",
      "autoscaling/v2/HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler");
  private static final Map<String, ClassLoader> LOADERS = new ConcurrentHashMap<>();

  private KubeSchemas() {
  }

  private static ClassLoader loader(String minor) {
    return LOADERS.computeIfAbsent(minor, m -> {
      Path dir = Path.of("target/k8s-schemas", m);
      try (Stream<Path> jars = Files.list(dir)) {
        URL[] urls = jars.filter(p -> p.toString().endsWith(".jar")).map(p -> {
          try {
            return p.toUri().toURL();
          } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
          }
        }).toArray(URL[]::new);
        return new URLClassLoader("k8s-" + m, urls, ClassLoader.getPlatformClassLoader());
      } catch (java.io.IOException e) {
        throw new IllegalStateException("no schema of Kubernetes " + m + " under " + dir + " (mvn process-test-resources"
            + " copies it)", e);
      }
    });
  }

  /** Whether this kind is part of Kubernetes' own API (checked here) or an operator's (left to StrictModel). */
  static boolean knows(JsonNode object) {
    return MODELS.containsKey(object.path("apiVersion").asText() + "/" + object.path("kind").asText());
  }

  /** What Kubernetes {@code kube} (e.g. 1.32.0) refuses in {@code object}; empty when it accepts it. */
  static List<String> refusals(String kube, JsonNode object) {
    String minor = kube.substring(0, kube.lastIndexOf('.'));
    String key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    String model = MODELS.get(key);
    if (model == null) {
      return List.of("not part of Kubernetes' API: " + key);
    }
    ClassLoader l = loader(minor);
    try {
      Class<?> parser = Class.forName("com.google.gson.JsonParser", true, l);
      Class<?> element = Class.forName("com.google.gson.JsonElement", true, l);
      Object json = parser.getMethod("parseString", String.class).invoke(null, object.toString());
      Method validate = Class.forName("io.kubernetes.client.openapi.models." + model, true, l)
          .getMethod("validateJsonElement", element);
      validate.invoke(null, json);
      return List.of();
    } catch (InvocationTargetException e) {
      String m = String.valueOf(e.getCause().getMessage());
      int cut = m.indexOf(" JSON: ");
      List<String> out = new ArrayList<>();
      out.add("Kubernetes " + minor + " refuses " + key + ": " + (cut > 0 ? m.substring(0, cut) : m));
      return out;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the schema of Kubernetes " + minor + " has no " + model, e);
    }
  }
}
