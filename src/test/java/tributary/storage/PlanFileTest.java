package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tributary.fault.Refusal;

/** S7: the plan file as both sides write and read it, always against the schema, never expanding entities. */
class PlanFileTest {
  private static final PlanFile.Item MIRROR = new PlanFile.Item(7, TaskKind.MIRROR, "blob-a", 1234, 0, "store-2",
      TaskStore.PLANNED, null, null, null, null);
  private static final PlanFile.Item PROTECT = new PlanFile.Item(9, TaskKind.PROTECT, "blob-b", 99, 9, null,
      TaskStore.PLANNED, null, null, null, null);

  private static PlanFile file() {
    return new PlanFile("store-1", 1_700_000_000_000L, List.of(
        new PlanFile.Plan("repair-1", TaskKind.MIRROR, new JsonObject().put("reason", "repair"), null, null,
            List.of(MIRROR)),
        new PlanFile.Plan("protect-1", TaskKind.PROTECT, new JsonObject().put("mode", "watermark")
            .put("text", "<&> \"quoted\"").put("targets", new JsonArray().add("a").add("b")).put("level", 3),
            1_700_000_000_000L, 1_700_000_060_000L, List.of(PROTECT))));
  }

  private static Refusal refused(String xml) {
    Refusal r = assertThrows(Refusal.class, () -> PlanFile.parse(xml));
    assertEquals(400, r.status());
    assertEquals(PlanFile.INVALID, r.code());
    return r;
  }

  @Test
  void aFileReadsBackAsItWasWritten() {
    PlanFile written = file();
    String xml = written.toXml();
    assertTrue(xml.contains("xmlns=\"" + PlanFile.NAMESPACE + "\""), xml);
    PlanFile read = PlanFile.parse(xml);
    assertEquals(written, read);
    assertEquals("<&> \"quoted\"", read.plans().get(1).params().getString("text"));
    assertEquals(new JsonArray().add("a").add("b"), read.plans().get(1).params().getJsonArray("targets"));
    assertEquals(3, read.plans().get(1).params().getInteger("level"));
  }

  @Test
  void marksReadBackWithTheirTimesAndMessage() {
    PlanFile.Item done = MIRROR.started(100).finished(TaskStore.DONE, null, null, 200);
    PlanFile.Item failed = PROTECT.started(110).finished(TaskStore.FAILED, "no copy of the blob on store-1", null, 210);
    PlanFile marked = file().marked(Map.of(7L, done, 9L, failed));
    PlanFile read = PlanFile.parse(marked.toXml());
    assertEquals(marked, read);
    PlanFile.Item item = read.plans().get(1).items().get(0);
    assertEquals(TaskStore.FAILED, item.state());
    assertEquals(110L, item.startedAt());
    assertEquals(210L, item.finishedAt());
    assertEquals("no copy of the blob on store-1", item.message());
    assertNull(read.plans().get(0).items().get(0).message());
  }

  @Test
  void aLongMessageIsCutToWhatTheSchemaTakes() {
    String stderr = "x".repeat(PlanFile.MAX_MESSAGE * 3);
    PlanFile marked = file().marked(Map.of(9L, PROTECT.finished(TaskStore.FAILED, stderr, null, 5)));
    assertEquals(PlanFile.MAX_MESSAGE, PlanFile.parse(marked.toXml()).plans().get(1).items().get(0).message().length());
  }

  @Test
  void anEmptyFileIsValid() {
    PlanFile empty = new PlanFile("store-1", 5, List.of());
    assertEquals(empty, PlanFile.parse(empty.toXml()));
  }

  @Test
  void aMalformedFileIsRefused() {
    String xml = file().toXml();
    assertTrue(refused(xml.substring(0, xml.length() - 20)).getMessage().contains("not valid"));
    refused("not xml at all");
  }

  @Test
  void aFileFailingTheSchemaIsRefused() {
    String xml = file().toXml();
    refused(xml.replace("state=\"planned\"", "state=\"finished-ish\""));
    refused(xml.replace("priority=\"0\"", "priority=\"12\""));
    refused(xml.replace("id=\"9\"", "id=\"99999999999999999999\""));
    refused(xml.replace("bytes=\"99\"", "bytes=\"99999999999999999999\""));
    refused(xml.replace(" node=\"store-1\"", ""));
    refused(xml.replace("id=\"9\"", "id=\"7\""));
    refused(xml.replace(PlanFile.NAMESPACE, "urn:somebody-else"));
    String withMessage = file().marked(Map.of(9L, PROTECT.finished(TaskStore.FAILED, "no copy", null, 5))).toXml();
    PlanFile.parse(withMessage);
    refused(withMessage.replace("<message>", "<note>").replace("</message>", "</note>"));
    refused(xml.replace("</plan>", "<surprise/></plan>"));
  }

  @Test
  void aFileWithADoctypeOrExternalEntityIsRefusedUnread() {
    String xml = file().toXml();
    String body = xml.substring(xml.indexOf("?>") + 2);
    String external = "<?xml version=\"1.0\"?><!DOCTYPE taskPlans [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>"
        + body.replace("blob=\"blob-a\"", "blob=\"&secret;\"");
    Refusal r = refused(external);
    assertTrue(r.getMessage().contains("DOCTYPE"), r.getMessage());
    refused("<?xml version=\"1.0\"?><!DOCTYPE taskPlans SYSTEM \"http://127.0.0.1:1/plan.dtd\">" + body);
    String billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE taskPlans [<!ENTITY a \"aaaaaaaaaa\">"
        + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" + body.replace("blob=\"blob-a\"", "blob=\"&b;\"");
    refused(billionLaughs);
  }

  @Test
  void aParamMarkedJsonMustBeJson() {
    String xml = file().toXml().replace(">3</param>", ">{broken</param>");
    assertTrue(refused(xml).getMessage().contains("json"));
  }
}
