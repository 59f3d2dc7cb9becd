package io.onetimeshare.examples.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a rendered object into the Kubernetes model (fabric8's classes of Kubernetes 1.34's API, and the Prometheus
 * operator's ServiceMonitor) and reports every field the API does not know. The model keeps unknown fields in each
 * object's {@code additionalProperties} instead of failing (as npm's kubernetes-models lets them pass), so this walks
 * the whole object and reports each one by its path: a typo such as {@code readinesProbe} is found, not dropped.
 */
final class StrictModel {
  private static final tools.jackson.databind.ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
      .build();
  private static final Map<String, Class<?>> KINDS = Map.ofEntries(
      Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
      Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
      Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
      Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
      Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
      Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy",
          io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
      Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
          io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
      Map.entry("monitoring.coreos.com/v1/ServiceMonitor",
          io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class));

  private StrictModel() {
  }

  /** The paths of fields the API does not know (empty when the object is valid); an unknown kind is one too. */
  static List<String> unknownFields(JsonNode object) {
    String key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    Class<?> type = KINDS.get(key);
    if (type == null) {
      return List.of("no such kind in the checked APIs: " + key);
    }
    Object model;
    try {
      model = JSON.readValue(object.toString(), type);
    } catch (RuntimeException e) {
      return List.of("does not read as " + key + ": " + e.getMessage());
    }
    List<String> out = new ArrayList<>();
    walk(model, object.path("kind").asText(), out, new IdentityHashMap<>());
    return out;
  }

  private static void walk(Object o, String path, List<String> out, IdentityHashMap<Object, Boolean> seen) {
    if (o == null || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        walk(l.get(i), path + "[" + i + "]", out, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> walk(v, path + "." + k, out, seen));
      return;
    }
    if (!o.getClass().getPackageName().startsWith("io.fabric8")) {
      return;
    }
    for (Method g : o.getClass().getMethods()) {
      if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
          || g.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v;
      try {
        v = g.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (g.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          for (Object k : extra.keySet()) {
            out.add(path + "." + k);
          }
        }
        continue;
      }
      String field = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
      walk(v, path + "." + field, out, seen);
    }
  }
}
