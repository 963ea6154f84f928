package verticles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import tributary.config.Role;

class RoleVerticlesTest {
  private static List<String> names(List<RoleVerticles.Deployment> list) {
    return list.stream().map(RoleVerticles.Deployment::name).toList();
  }

  @Test
  void aRestartStopsTheHttpFaceFirstAndKeepsTheAgent() {
    List<RoleVerticles.Deployment> all = RoleVerticles.forRoles(EnumSet.allOf(Role.class));
    List<String> stop = names(RoleVerticles.stopOrder(all));
    assertEquals(RoleVerticles.AGENT, names(all).get(all.size() - 1), "the agent starts last");
    assertEquals(all.size() - 1, stop.size());
    assertEquals("http-face", stop.get(0), "the HTTP face stops taking requests before what it calls");
    assertEquals("management", stop.get(stop.size() - 1));
    List<String> started = new java.util.ArrayList<>(names(all));
    started.remove(RoleVerticles.AGENT);
    java.util.Collections.reverse(started);
    assertEquals(started, stop);
  }

  @Test
  void aNodeOfOneRoleCyclesItsOwnVerticlesOnly() {
    assertEquals(List.of("gateway"), names(RoleVerticles.stopOrder(RoleVerticles.forRoles(EnumSet.of(Role.GATEWAY)))));
  }
}
