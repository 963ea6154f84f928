package tributary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.JoinConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.config.ConfigLoader;
import tributary.config.NodeConfig;

/** X2: how a node joins its cluster: a member list on TCP, multicast, or Kubernetes discovery by DNS. */
class NodeHazelcastConfigTest {
  private static JoinConfig join(String... flags) {
    return Node.hazelcast(ConfigLoader.load(flags, Map.of())).getNetworkConfig().getJoin();
  }

  @Test
  void aMemberListJoinsOnTcpOnly() {
    JoinConfig join = join("--cluster=true", "--cluster-members=10.0.0.1,10.0.0.2:5701");
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(java.util.List.of("10.0.0.1", "10.0.0.2:5701"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getKubernetesConfig().isEnabled());
  }

  @Test
  void kubernetesDiscoveryFindsTheMembersBehindTheHeadlessService() {
    NodeConfig config = ConfigLoader.load(new String[] {"--cluster=true",
        "--cluster-kubernetes-dns=tributary-hs.default.svc.cluster.local"}, Map.of());
    JoinConfig join = Node.hazelcast(config).getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("tributary-hs.default.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertTrue(Node.memberAddresses(config).isEmpty(), "pods come and go: the cluster secret alone admits members");
  }
}
