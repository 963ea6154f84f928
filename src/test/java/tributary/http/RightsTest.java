package tributary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.auth.ChannelAccessStore.Access;
import tributary.auth.Principal;
import tributary.bus.StoredRecord;

/** X3: what the one rights check allows, over stored rights given as a map. */
class RightsTest {
  private static final Principal ADMIN = new Principal("admin", Principal.Kind.ADMIN);
  private static final Principal OWNER = new Principal("olga", Principal.Kind.USER);
  private static final Principal READER = new Principal("rita", Principal.Kind.USER);
  private static final Principal WRITER = new Principal("walt", Principal.Kind.USER);
  private static final Principal STRANGER = new Principal("sam", Principal.Kind.USER);
  private static final Principal EDGE = new Principal("edge-1", Principal.Kind.EDGE);

  private static final Map<String, Access> STORED = Map.of(
      "vault", new Access("olga", true, List.of("rita"), List.of("walt")),
      "yard", new Access("olga", false, List.of(), List.of()));
  private final Rights rights = new Rights(channel -> Future.succeededFuture(STORED.getOrDefault(channel, Access.NONE)),
      channel -> Future.succeededFuture(STORED.get(channel)));

  private static boolean now(Future<Boolean> answer) {
    assertTrue(answer.succeeded(), String.valueOf(answer.cause()));
    return answer.result();
  }

  @Test
  void aRestrictedChannelIsReadByItsOwnerReadersAndAdminsAndWrittenByItsOwnerWritersAndAdmins() {
    for (Principal p : List.of(ADMIN, OWNER, READER)) {
      assertTrue(now(rights.mayRead("vault", p)), p.id());
      assertTrue(now(rights.mayRead("vault.results", p)), "results follow their input: " + p.id());
    }
    for (Principal p : List.of(WRITER, STRANGER, EDGE)) {
      assertFalse(now(rights.mayRead("vault", p)), p.id());
      assertFalse(now(rights.mayRead("vault.results", p)), p.id());
    }
    for (Principal p : List.of(ADMIN, OWNER, WRITER)) {
      assertTrue(now(rights.mayWrite("vault", p)), p.id());
    }
    for (Principal p : List.of(READER, STRANGER, EDGE)) {
      assertFalse(now(rights.mayWrite("vault", p)), p.id());
    }
  }

  @Test
  void onlyTheOwnerAndAdministratorsManageAChannel() {
    assertTrue(rights.manage("yard", OWNER, "x").succeeded());
    assertTrue(rights.manage("new", ADMIN, "x").succeeded());
    assertTrue(rights.manage("vault", READER, "x").failed());
    assertTrue(rights.manage("new", STRANGER, "x").failed(), "a channel not yet posted to has no owner");
  }

  @Test
  void unrestrictedAndUnknownChannelsAreOpen() {
    assertTrue(now(rights.mayRead("yard", STRANGER)));
    assertTrue(now(rights.mayWrite("yard", STRANGER)));
    assertTrue(now(rights.mayRead("new", STRANGER)));
    assertTrue(now(rights.mayWrite("new", STRANGER)));
  }

  @Test
  void anEdgeFeedShowsEachReaderTheResultsOfChannelsItMayRead() {
    JsonObject secret = feedRecord("vault");
    JsonObject open = feedRecord("yard");
    JsonObject unnamed = new JsonObject().put("channel", "_edge.edge-1").put("payload", new JsonObject());
    List<JsonObject> feed = List.of(secret, open, unnamed);
    assertEquals(List.of(false, true, false), rights.mayReadRecords(feed, STRANGER).result());
    assertEquals(List.of(true, true, false), rights.mayReadRecords(feed, READER).result());
    assertEquals(List.of(true, true, true), rights.mayReadRecords(feed, ADMIN).result());
    assertEquals(List.of(true, true, true), rights.mayReadRecords(feed, EDGE).result(), "the edge's own feed");
    assertEquals(List.of(false, true, false), rights.mayReadRecords(feed,
        new Principal("edge-2", Principal.Kind.EDGE)).result(), "another edge's feed");
    StoredRecord stored = new StoredRecord("_edge.edge-1", 1, "vault-alert", "edge-1", "alert", 0, 0, 0, "core", null,
        secret.getJsonObject("payload").encode(), null);
    assertTrue(rights.readRecord(stored, STRANGER).failed());
    assertTrue(rights.readRecord(stored, READER).succeeded());
  }

  @Test
  void onlyAdministratorsPassTheAdministratorCheck() {
    Rights.administrator(ADMIN);
    for (Principal p : java.util.Arrays.asList(OWNER, EDGE, null)) {
      tributary.fault.Refusal r = assertThrows(tributary.fault.Refusal.class, () -> Rights.administrator(p));
      assertEquals(403, r.status());
    }
    assertTrue(Rights.isAdministrator(ADMIN));
    assertFalse(Rights.isAdministrator(OWNER));
  }

  @Test
  void aUsersQueueIsItsOwnAndADispatchedTaskItsSendersAndDestinations() {
    Rights.self("rita", READER, "no");
    Rights.self("rita", ADMIN, "no");
    assertEquals("only rita", assertThrows(tributary.fault.Refusal.class, () -> Rights.self("rita", STRANGER,
        "only rita")).getMessage());
    assertTrue(Rights.maySeeTask("rita", "walt", READER));
    assertTrue(Rights.maySeeTask("rita", "walt", WRITER));
    assertTrue(Rights.maySeeTask("rita", "walt", ADMIN));
    assertFalse(Rights.maySeeTask("rita", "walt", STRANGER));
    assertEquals(null, Rights.ownFilter(ADMIN), "administrators list everyone's");
    assertEquals("sam", Rights.ownFilter(STRANGER));
  }

  private static JsonObject feedRecord(String source) {
    return new JsonObject().put("id", source + "-alert").put("channel", "_edge.edge-1")
        .put("payload", new JsonObject().put("source", new JsonObject().put("channel", source)));
  }
}
