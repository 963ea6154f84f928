package tributary.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tributary.config.Role;

class ReadinessTest {
  private static final Readiness.Probe ALL_UP = new Readiness.Probe(true, true, true, true);
  private static final Set<Role> EDGE_AND_STORAGE = EnumSet.of(Role.EDGE, Role.STORAGE);

  @Test
  void aNodeWithEveryRoleDeployedAndItsServicesUpIsReady() {
    Readiness r = Readiness.of(EDGE_AND_STORAGE, EDGE_AND_STORAGE, ALL_UP, false);
    assertTrue(r.ready());
    assertEquals(Map.of("edge", true, "storage", true), r.roles());
  }

  @Test
  void aRoleWhoseVerticlesAreNotDeployedMakesTheNodeNotReadyAndIsNamed() {
    Readiness r = Readiness.of(EDGE_AND_STORAGE, EnumSet.of(Role.EDGE), ALL_UP, false);
    assertFalse(r.ready());
    assertEquals(Map.of("edge", true, "storage", false), r.roles());
  }

  @Test
  void anEdgeWithoutItsGrantIsNotReadyButOtherRolesAre() {
    Readiness r = Readiness.of(EDGE_AND_STORAGE, EDGE_AND_STORAGE, new Readiness.Probe(true, true, true, false), false);
    assertFalse(r.ready());
    assertEquals(Map.of("edge", false, "storage", true), r.roles());
  }

  @Test
  void aStoppingNodeIsNotReadyWhateverItsRoles() {
    Readiness r = Readiness.of(EDGE_AND_STORAGE, EDGE_AND_STORAGE, ALL_UP, true);
    assertFalse(r.ready());
    assertTrue(r.stopping());
  }

  @Test
  void withoutPostgresNoRoleIsReady() {
    Readiness r = Readiness.of(EDGE_AND_STORAGE, EDGE_AND_STORAGE, new Readiness.Probe(false, true, true, true), false);
    assertEquals(Map.of("edge", false, "storage", false), r.roles());
  }
}
