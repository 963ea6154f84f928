package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tributary.config.ConfigLoader;
import tributary.config.Option;

/**
 * Issue 19: the deployment files are kept valid: they parse, every TRIBUTARY_* variable they set is
 * an option the node knows (and its value passes the node's own validation where it is literal),
 * the probes ask /ready and /health, the image runs as a non-root user, and the ports are the
 * README's firewall table. (No container runtime here: the image itself is built by `docker build`.)
 */
class DeploymentFilesTest {
  private static final Path ROOT = Path.of(".");
  private static final Pattern VARIABLE = Pattern.compile("\\b(TRIBUTARY_[A-Z0-9_]+)\\b");
  private static final Set<String> KNOWN = Arrays.stream(Option.values()).map(Option::envName)
      .collect(Collectors.toSet());

  private static String read(String path) throws IOException {
    return Files.readString(ROOT.resolve(path));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> yamlDocuments(String path) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    new Yaml().loadAll(read(path)).forEach(doc -> out.add((Map<String, Object>) doc));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      current = current instanceof List<?> list ? list.get(Integer.parseInt(key)) : ((Map<String, Object>) current).get(key);
    }
    return (T) current;
  }

  private static void everyVariableIsAnOption(String path) throws IOException {
    Matcher m = VARIABLE.matcher(read(path));
    List<String> unknown = new ArrayList<>();
    while (m.find()) {
      if (!KNOWN.contains(m.group(1))) {
        unknown.add(m.group(1));
      }
    }
    assertEquals(List.of(), unknown, path + " names options the node does not have");
  }

  @Test
  void composeStartsThreeNodesWithValidOptionsBesidePostgresAndRedis() throws IOException {
    everyVariableIsAnOption("docker-compose.yml");
    Map<String, Object> compose = yamlDocuments("docker-compose.yml").get(0);
    Map<String, Object> services = at(compose, "services");
    assertTrue(services.keySet().containsAll(List.of("postgres", "redis", "node-1", "node-2", "node-3")));
    for (String node : List.of("node-1", "node-2", "node-3")) {
      Map<String, Object> env = at(services, node, "environment");
      Map<String, String> literal = new java.util.HashMap<>();
      env.forEach((k, v) -> {
        if (!String.valueOf(v).contains("${")) {
          literal.put(k, String.valueOf(v));
        }
      });
      // The node's own validation, as at its start: a bad value in the file fails here.
      var config = ConfigLoader.load(new String[0], literal);
      assertTrue(config.cluster(), node);
      assertEquals(3, config.clusterMembers().size(), node);
      assertTrue(config.clusterMembers().stream().anyMatch(m -> m.startsWith(config.clusterHost() + ":")),
          node + " is among the members it joins");
    }
  }

  @Test
  void kubernetesRunsAStatefulSetFoundByDnsWithReadinessOnReady() throws IOException {
    String path = "scripts/deploy/kubernetes/tributary.yaml";
    everyVariableIsAnOption(path);
    List<Map<String, Object>> docs = yamlDocuments(path);
    Map<String, Map<String, Object>> byKind = new java.util.HashMap<>();
    docs.forEach(d -> byKind.put(d.get("kind") + "/" + at(d, "metadata", "name"), d));
    Map<String, Object> set = byKind.get("StatefulSet/tributary");
    Map<String, Object> container = at(set, "spec", "template", "spec", "containers", "0");
    assertEquals("/ready", at(container, "readinessProbe", "httpGet", "path"));
    assertEquals("/health", at(container, "livenessProbe", "httpGet", "path"));
    assertEquals(Boolean.TRUE, at(set, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
    Map<String, Object> headless = byKind.get("Service/tributary-hs");
    assertEquals("None", at(headless, "spec", "clusterIP"));
    assertEquals("tributary-hs", at(set, "spec", "serviceName"));
    Map<String, String> config = at(byKind.get("ConfigMap/tributary"), "data");
    assertTrue(config.get("TRIBUTARY_CLUSTER_KUBERNETES_DNS").startsWith("tributary-hs."),
        "Hazelcast looks members up behind the headless service");
    Map<String, String> literal = new java.util.HashMap<>(config);
    literal.putAll(at(byKind.get("Secret/tributary"), "stringData"));
    var node = ConfigLoader.load(new String[0], literal);
    assertTrue(node.clusterKubernetesDns().isPresent());
    List<Integer> ports = ((List<Map<String, Object>>) at(container, "ports")).stream()
        .map(p -> (Integer) p.get("containerPort")).toList();
    assertEquals(List.of(8080, 5701, 6701, 8090), ports, "the README's firewall table");
  }

  @Test
  void theImageBuildsInTwoStagesAndRunsTheJarAsANonRootUserCheckedOnReady() throws IOException {
    String dockerfile = read("Dockerfile");
    assertEquals(2, Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count(), "build, then run");
    assertTrue(Pattern.compile("(?m)^USER tributary$").matcher(dockerfile).find(), "not root");
    assertTrue(dockerfile.contains("HEALTHCHECK") && dockerfile.contains("GET /ready"));
    assertTrue(dockerfile.contains("\"-jar\", \"/opt/tributary/tributary.jar\""));
    // The JVM flags are those of scripts/jvm-flags, which Hazelcast needs.
    for (String flag : read("scripts/jvm-flags").lines().filter(l -> l.trim().startsWith("--")).toList()) {
      String[] parts = flag.trim().split(" ");
      assertTrue(dockerfile.contains("\"" + parts[0] + "\", \"" + parts[1] + "\""), "Dockerfile lacks " + flag);
      assertTrue(read("scripts/deploy/tributary.service").contains(flag.trim()), "systemd unit lacks " + flag);
    }
  }

  @Test
  void theSystemdUnitRunsTheJarAsItsOwnUserAndLetsItDrain() throws IOException {
    String unit = read("scripts/deploy/tributary.service");
    everyVariableIsAnOption("scripts/deploy/tributary.service");
    Map<String, String> service = new java.util.HashMap<>();
    String section = "";
    for (String line : unit.lines().toList()) {
      if (line.startsWith("[")) {
        section = line;
      } else if (section.equals("[Service]") && line.contains("=") && !line.startsWith("#")) {
        service.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
    }
    assertEquals("tributary", service.get("User"));
    assertTrue(service.get("ExecStart").endsWith("-jar /opt/tributary/tributary.jar"));
    assertEquals("on-failure", service.get("Restart"));
    assertTrue(Integer.parseInt(service.get("TimeoutStopSec")) * 1000L
        > Long.parseLong(Option.SHUTDOWN_GRACE_MS.defaultValue()) + Long.parseLong(Option.DRAIN_DELAY_MS.defaultValue()),
        "systemd waits longer than the node's drain");
    assertTrue(unit.contains("[Install]") && unit.contains("WantedBy=multi-user.target"), "enabled at boot");
  }
}
