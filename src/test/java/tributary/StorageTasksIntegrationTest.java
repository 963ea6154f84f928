package tributary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tributary.storage.tasks.Watermark;
import tributary.support.BlobClient;
import tributary.support.Http;
import tributary.support.TestEnv;
import tributary.support.TestFiles;
import tributary.support.TestNode;

/**
 * Storage tasks end to end through the API (S6, S7, S2): watermark a real PNG and JPEG, a PDF and a
 * video, seal a file with a timestamp and verify it (and fail to on other bytes), compress,
 * transcode a real clip through ffmpeg (which .ci/run installs), recycle, measure a video's
 * duration for the load score; each output is a blob naming its source, each plan lists its items
 * and their states.
 */
class StorageTasksIntegrationTest {
  @TempDir static Path tmp;
  private static TestNode node;
  private static BlobClient blobs;
  private static String user;

  @BeforeAll
  static void start() {
    node = TestNode.start("task-node", Map.of("storage-heartbeat-ms", "200", "task-poll-ms", "200"));
    blobs = new BlobClient(node.port());
    user = node.http.createUser(node.env.adminToken, "erin");
    Http.awaitCondition(() -> node.http.get("/v1/storage/nodes", user).bodyAsJsonObject()
        .getJsonArray("nodes").size() == 3, 10_000, "three storage nodes heartbeating");
  }

  @AfterAll
  static void stop() {
    blobs.close();
    node.close();
  }

  private static String upload(String query, byte[] bytes) {
    BlobClient.Reply r = blobs.upload(user, query, bytes);
    assertEquals(201, r.status(), r.body().toString());
    return r.json().getString("id");
  }

  /** Plans a task, waits for it to finish and returns the finished plan. */
  private static JsonObject runTask(String kind, String blob, JsonObject params) {
    JsonObject body = new JsonObject().put("kind", kind).put("blob", blob).put("params", params);
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> r = node.http.postJson("/v1/tasks", user,
        body.encode());
    assertEquals(202, r.statusCode(), r.bodyAsString());
    String planId = r.bodyAsJsonObject().getString("id");
    JsonObject[] plan = new JsonObject[1];
    Http.awaitCondition(() -> {
      JsonArray plans = node.http.get("/v1/tasks?kind=" + kind + "&blob=" + blob, user).bodyAsJsonObject()
          .getJsonArray("plans");
      plan[0] = plans.stream().map(JsonObject.class::cast).filter(p -> p.getString("id").equals(planId)).findFirst()
          .orElseThrow();
      return !plan[0].getString("state").equals("planned") && !plan[0].getString("state").equals("started");
    }, 20_000, kind + " task on " + blob);
    return plan[0];
  }

  private static String output(JsonObject plan) {
    assertEquals("done", plan.getString("state"), plan.encodePrettily());
    return plan.getJsonArray("items").getJsonObject(0).getString("output");
  }

  private static byte[] download(String id) {
    BlobClient.Reply r = blobs.get(user, "/v1/blobs/" + id, Map.of(), true);
    assertEquals(200, r.status());
    return r.body().getBytes();
  }

  private static byte[] gradientImage(String format) throws IOException {
    BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(20, 60, 120), 400, 300, new Color(30, 140, 90)));
    g.fillRect(0, 0, 400, 300);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  private static void assertMarked(byte[] original, byte[] marked, String text, boolean lossless) throws IOException {
    BufferedImage before = ImageIO.read(new ByteArrayInputStream(original));
    BufferedImage after = ImageIO.read(new ByteArrayInputStream(marked));
    assertEquals(before.getWidth(), after.getWidth());
    Rectangle area = Watermark.markArea(before.getWidth(), before.getHeight(), text);
    long changedInside = 0;
    for (int x = area.x; x < area.x + area.width; x++) {
      for (int y = area.y; y < area.y + area.height; y++) {
        if (distance(before.getRGB(x, y), after.getRGB(x, y)) > 60) {
          changedInside++;
        }
      }
    }
    assertTrue(changedInside > area.width * area.height / 50, "pixels changed under the mark: " + changedInside);
    int far = distance(before.getRGB(5, 5), after.getRGB(5, 5));
    assertTrue(lossless ? far == 0 : far < 30, "a pixel far from the mark changed by " + far);
  }

  private static int distance(int a, int b) {
    return Math.abs((a >> 16 & 0xFF) - (b >> 16 & 0xFF)) + Math.abs((a >> 8 & 0xFF) - (b >> 8 & 0xFF))
        + Math.abs((a & 0xFF) - (b & 0xFF));
  }

  @Test
  void watermarkMarksARealPngAndJpeg() throws IOException {
    for (String format : new String[] {"png", "jpeg"}) {
      byte[] image = gradientImage(format);
      String id = upload("?type=image&name=photo." + format, image);
      String text = "TRIBUTARY";
      String marked = output(runTask("protect", id, new JsonObject().put("mode", "watermark").put("text", text)));
      assertMarked(image, download(marked), text, format.equals("png"));
      JsonObject meta = node.http.get("/v1/blobs/" + marked + "/meta", user).bodyAsJsonObject();
      assertEquals(id, meta.getString("sourceBlob"));
      assertEquals("protect:watermark", meta.getString("derivedBy"));
    }
  }

  @Test
  void aTimestampSealVerifiesTheOriginalAndFailsOnOtherBytes() {
    byte[] contract = "the parties agree that the river flows downhill".getBytes();
    String id = upload("?type=document&name=contract.txt", contract);
    String seal = output(runTask("protect", id, new JsonObject().put("mode", "timestamp")));
    JsonObject ok = node.http.get("/v1/blobs/" + id + "/verify", user).bodyAsJsonObject();
    assertTrue(ok.getBoolean("valid"), ok.encode());
    assertEquals(seal, ok.getString("seal"));

    byte[] altered = contract.clone();
    altered[4] ^= 1;
    String forged = upload("?type=document&name=contract.txt", altered);
    JsonObject bad = node.http.get("/v1/blobs/" + forged + "/verify?seal=" + seal, user).bodyAsJsonObject();
    assertFalse(bad.getBoolean("valid"), bad.encode());
    assertEquals("content_changed", bad.getString("verdict"));
    assertEquals(404, node.http.get("/v1/blobs/" + forged + "/verify", user).statusCode(), "no seal of its own");
  }

  @Test
  void aSealVerifiesThroughTheApiAndWithThePublishedKeyAlone() throws Exception {
    byte[] deed = "the mill may take water from the river on sundays".getBytes(StandardCharsets.UTF_8);
    String id = upload("?type=document&name=deed.txt", deed);
    String seal = output(runTask("protect", id, new JsonObject().put("mode", "timestamp")));
    JsonObject api = node.http.get("/v1/blobs/" + id + "/verify", user).bodyAsJsonObject();
    assertTrue(api.getBoolean("valid"), api.encode());
    assertEquals("Ed25519", api.getString("alg"));

    // offline: only the seal's bytes, the file and the published public key, checked with the JDK
    JsonObject published = node.http.get("/v1/storage/seal-key", user).bodyAsJsonObject();
    assertEquals("Ed25519", published.getString("alg"));
    assertTrue(published.getString("pem").startsWith("-----BEGIN PUBLIC KEY-----"), published.encode());
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(
        new X509EncodedKeySpec(Base64.getDecoder().decode(published.getString("spki"))));
    JsonObject manifest = new JsonObject(new String(download(seal), StandardCharsets.UTF_8));
    assertEquals(published.getString("keyId"), manifest.getString("keyId"));
    byte[] signed = new JsonArray().add("tributary-seal-v2").add(manifest.getString("keyId"))
        .add(manifest.getString("sha256")).add(manifest.getString("md5")).add(manifest.getLong("size"))
        .add(manifest.getLong("sealedAt")).add(manifest.getString("sealedBy")).encode()
        .getBytes(StandardCharsets.UTF_8);
    Signature check = Signature.getInstance("Ed25519");
    check.initVerify(key);
    check.update(signed);
    assertTrue(check.verify(Base64.getDecoder().decode(manifest.getString("signature"))), manifest.encode());
    assertEquals(BlobClient.sha256(deed), manifest.getString("sha256"));
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(deed)), manifest.getString("md5"));
    assertEquals(deed.length, manifest.getLong("size"));

    // a moved date breaks the signature
    signed = new String(signed, StandardCharsets.UTF_8).replace(String.valueOf(manifest.getLong("sealedAt")),
        String.valueOf(manifest.getLong("sealedAt") - 86_400_000)).getBytes(StandardCharsets.UTF_8);
    check.initVerify(key);
    check.update(signed);
    assertFalse(check.verify(Base64.getDecoder().decode(manifest.getString("signature"))));
  }

  @Test
  void aSealMadeBeforeEd25519StillVerifiesThroughTheApi() throws Exception {
    byte[] lease = "the ferry may cross at dawn".getBytes(StandardCharsets.UTF_8);
    String id = upload("?type=document&name=lease.txt", lease);
    // an HMAC seal as the cluster made them before: signed under its shared seal secret
    io.vertx.sqlclient.Pool pool = tributary.store.Pg.pool(blobs.vertx, node.node.config());
    try {
      byte[] secret = TestEnv.await(tributary.store.ClusterSecrets.secret(pool, "timestamp-seal"));
      String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(lease));
      String signed = new JsonArray().add("tributary-seal-v1").add(BlobClient.sha256(lease)).add(md5)
          .add(lease.length).add(1_700_000_000_000L).add("task-node-s1").encode();
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      JsonObject old = new JsonObject().put("sha256", BlobClient.sha256(lease)).put("md5", md5)
          .put("size", lease.length).put("sealedAt", 1_700_000_000_000L).put("sealedBy", "task-node-s1")
          .put("signature", HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))));
      String seal = upload("?type=document&name=lease.seal.json", old.encode().getBytes(StandardCharsets.UTF_8));
      TestEnv.await(pool.preparedQuery("UPDATE blobs SET derived_by = 'protect:timestamp', source_blob = $2 "
          + "WHERE blob_id = $1").execute(io.vertx.sqlclient.Tuple.of(seal, id)));
    } finally {
      TestEnv.await(pool.close());
    }
    JsonObject ok = node.http.get("/v1/blobs/" + id + "/verify", user).bodyAsJsonObject();
    assertTrue(ok.getBoolean("valid"), ok.encode());
    assertEquals("HmacSHA256", ok.getString("alg"));
    assertEquals(1_700_000_000_000L, ok.getLong("sealedAt"));
  }

  @Test
  void compressMakesAGzipBlobThatInflatesToTheOriginal() throws IOException {
    byte[] text = "river ".repeat(50_000).getBytes();
    String id = upload("?type=document", text);
    String gz = output(runTask("compress", id, new JsonObject()));
    byte[] packed = download(gz);
    assertTrue(packed.length < text.length / 10, "compressed to " + packed.length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(packed))) {
      assertArrayEquals(text, in.readAllBytes());
    }
  }

  private static Path saved(String name, byte[] bytes) throws IOException {
    return Files.write(tmp.resolve(name), bytes);
  }

  @Test
  void transcodeMakesARealWebmThatFfprobeReads() throws Exception {
    byte[] clip = Files.readAllBytes(TestFiles.video(tmp.resolve("clip.mp4"), 1, 160, 120));
    String id = upload("?type=video&name=clip.mp4", clip);

    String webm = output(runTask("transcode", id, new JsonObject().put("format", "webm")));

    JsonObject probe = TestFiles.probe(saved("out.webm", download(webm)));
    assertTrue(probe.getJsonObject("format").getString("format_name").contains("webm"), probe.encode());
    assertTrue(List.of("vp8", "vp9", "av1").contains(TestFiles.videoStream(probe).getString("codec_name")),
        probe.encode());
    assertEquals(1.0, TestFiles.duration(probe), 0.15);
    JsonObject meta = node.http.get("/v1/blobs/" + webm + "/meta", user).bodyAsJsonObject();
    assertEquals("transcode:webm", meta.getString("derivedBy"));
    assertEquals("video", meta.getString("type"));
    assertEquals("video/webm", meta.getString("contentType"));
  }

  @Test
  void aTranscodeFfmpegCannotReadFailsWithFfmpegsReason() {
    String id = upload("?type=video", new byte[4096]);
    JsonObject plan = runTask("transcode", id, new JsonObject().put("format", "mp4"));
    JsonObject item = plan.getJsonArray("items").getJsonObject(0);
    assertEquals("failed", item.getString("state"), plan.encodePrettily());
    assertTrue(item.getString("error").startsWith("ffmpeg exited with"), item.encode());
  }

  @Test
  void aPdfGetsTheWatermarkAndTheTimeOnEveryPage() throws Exception {
    byte[] pdf = TestFiles.pdf(List.of("minutes of the river board", "budget of the river board"));
    String id = upload("?type=document&name=minutes.pdf", pdf);
    long before = System.currentTimeMillis() / 1000 * 1000;

    String marked = output(runTask("protect", id, new JsonObject().put("mode", "watermark").put("text", "DRAFT")));

    JsonObject meta = node.http.get("/v1/blobs/" + marked + "/meta", user).bodyAsJsonObject();
    assertEquals("protect:watermark", meta.getString("derivedBy"));
    assertEquals("application/pdf", meta.getString("contentType"));
    assertEquals("minutes.pdf.watermarked.pdf", meta.getString("name"));
    try (PDDocument doc = Loader.loadPDF(download(marked))) {
      assertEquals(2, doc.getNumberOfPages());
      for (int page = 1; page <= 2; page++) {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        String text = stripper.getText(doc);
        java.util.regex.Matcher stamp = java.util.regex.Pattern.compile(
            "DRAFT \\| (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC").matcher(text);
        assertTrue(stamp.find(), "page " + page + ": " + text);
        long stamped = java.time.LocalDateTime.parse(stamp.group(1).replace(' ', 'T'))
            .toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        assertTrue(stamped >= before && stamped <= System.currentTimeMillis(), "stamped at " + stamp.group(1));
        assertTrue(text.contains(page == 1 ? "minutes of the river board" : "budget of the river board"), text);
      }
    }
  }

  @Test
  void aDocumentThatIsNeitherPdfNorOfficeCannotBeWatermarked() {
    String id = upload("?type=document&name=notes.txt", "notes on the river".getBytes(StandardCharsets.UTF_8));
    JsonObject plan = runTask("protect", id, new JsonObject().put("mode", "watermark").put("text", "DRAFT"));
    JsonObject item = plan.getJsonArray("items").getJsonObject(0);
    assertEquals("unsupported", plan.getString("state"), plan.encodePrettily());
    assertTrue(item.getString("error").startsWith("only PDF and office documents"), item.encode());
  }

  /** Exactly one branch holds on a machine: no LibreOffice (unsupported, as .ci/run leaves it) or a stamped PDF. */
  @Test
  void anOfficeDocumentIsConvertedAndStampedWhereLibreOfficeIsInstalled() throws Exception {
    Path docx = tmp.resolve("letter.docx");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(docx))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("word/document.xml"));
      zip.write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>"
          .concat("<w:r><w:t>a letter</w:t></w:r></w:p></w:body></w:document>").getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    String id = upload("?type=document&name=letter.docx", Files.readAllBytes(docx));
    JsonObject plan = runTask("protect", id, new JsonObject().put("mode", "watermark").put("text", "DRAFT"));
    if (tributary.storage.tasks.OfficeConverter.soffice().isEmpty()) {
      assertEquals("unsupported", plan.getString("state"), plan.encodePrettily());
      assertEquals("LibreOffice (soffice) is not installed on this node",
          plan.getJsonArray("items").getJsonObject(0).getString("error"));
    } else {
      try (PDDocument doc = Loader.loadPDF(download(output(plan)))) {
        assertTrue(new PDFTextStripper().getText(doc).contains("DRAFT | "));
      }
    }
  }

  @Test
  void aVideoGetsAVisibleWatermarkAndStaysAValidVideo() throws Exception {
    byte[] clip = Files.readAllBytes(TestFiles.video(tmp.resolve("mark-me.mp4"), 1, 160, 120));
    String id = upload("?type=video&name=mark-me.mp4", clip);

    String marked = output(runTask("protect", id, new JsonObject().put("mode", "watermark").put("text", "TRIBUTARY")));

    byte[] out = download(marked);
    assertFalse(java.util.Arrays.equals(clip, out));
    JsonObject probe = TestFiles.probe(saved("marked.mp4", out));
    JsonObject video = TestFiles.videoStream(probe);
    assertEquals(160, video.getInteger("width"), probe.encode());
    assertEquals(1.0, TestFiles.duration(probe), 0.15);
    JsonObject meta = node.http.get("/v1/blobs/" + marked + "/meta", user).bodyAsJsonObject();
    assertEquals("video", meta.getString("type"));
    assertEquals("video/mp4", meta.getString("contentType"));
  }

  /**
   * S2: a stored video's duration is measured, and a node with a transcode of it pending reports
   * its hours in its load (the item is recorded as started, so no node runs it away meanwhile).
   */
  @Test
  void anUploadedVideosDurationIsMeasuredAndCountsInThePendingWorkOfItsNode() throws Exception {
    byte[] clip = Files.readAllBytes(TestFiles.video(tmp.resolve("long.mp4"), 3, 160, 120));
    String id = upload("?type=video&name=long.mp4", clip);
    JsonObject[] meta = new JsonObject[1];
    Http.awaitCondition(() -> (meta[0] = node.http.get("/v1/blobs/" + id + "/meta", user).bodyAsJsonObject())
        .containsKey("mediaSeconds"), 20_000, "the video's duration measured");
    assertEquals(3.0, meta[0].getDouble("mediaSeconds"), 0.15);

    String store = meta[0].getJsonArray("copies").getJsonObject(0).getString("node");
    io.vertx.sqlclient.Pool pool = tributary.store.Pg.pool(blobs.vertx, node.node.config());
    try {
      TestEnv.await(pool.preparedQuery("WITH plan AS (INSERT INTO task_plans (plan_id, kind, blob_id, params, "
              + "created_by, created_at) VALUES ('held-transcode', 'transcode', $1, '{}', 'test', $4)) "
              + "INSERT INTO task_items (plan_id, kind, blob_id, run_on, bytes, state, planned_at, started_at) "
              + "VALUES ('held-transcode', 'transcode', $1, $2, $3, 'started', $4, $4)")
          .execute(io.vertx.sqlclient.Tuple.of(id, store, (long) clip.length, System.currentTimeMillis())));
      double hours = meta[0].getDouble("mediaSeconds") / 3600;
      Http.awaitCondition(() -> node.http.get("/v1/storage/nodes", user).bodyAsJsonObject().getJsonArray("nodes")
          .stream().map(JsonObject.class::cast).filter(n -> n.getString("storeId").equals(store))
          .map(n -> n.getJsonObject("load"))
          .anyMatch(load -> Math.abs(load.getDouble("pendingVideoHours") - hours) < 1e-9
              && load.getDouble("pendingWork") >= clip.length * (hours + 3.1579)),
          10_000, "the held transcode's hours in " + store + "'s load");
    } finally {
      TestEnv.await(pool.query("UPDATE task_items SET state = 'done' WHERE plan_id = 'held-transcode'").execute());
      TestEnv.await(pool.close());
    }
  }

  @Test
  void recycleDeletesTheBlobAndCollectsItsCopies() {
    byte[] bytes = new byte[10_000];
    new Random(4).nextBytes(bytes);
    String id = upload("?type=other", bytes);
    Http.awaitCondition(() -> node.http.get("/v1/blobs/" + id + "/meta", user).bodyAsJsonObject()
        .getJsonArray("copies").size() == 3, 10_000, "three copies");
    JsonObject plan = runTask("recycle", id, new JsonObject());
    assertEquals("done", plan.getString("state"), plan.encodePrettily());
    assertEquals(3, plan.getJsonObject("progress").getInteger("total"));
    assertEquals(404, blobs.send(HttpMethod.GET, "/v1/blobs/" + id, user).status());
  }

  @Test
  void badTaskRequestsGetClearErrors() {
    assertEquals(400, node.http.postJson("/v1/tasks", user, "{\"kind\":\"paint\",\"blob\":\"x\"}").statusCode());
    assertEquals(400, node.http.postJson("/v1/tasks", user, "not json").statusCode());
    assertEquals(404, node.http.postJson("/v1/tasks", user, "{\"kind\":\"compress\",\"blob\":\"nope\"}").statusCode());
    String id = upload("", new byte[10]);
    assertEquals(400, node.http.postJson("/v1/tasks", user, "{\"kind\":\"protect\",\"blob\":\"" + id + "\"}")
        .statusCode());
    assertEquals(400, node.http.get("/v1/tasks?kind=paint", user).statusCode());
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> avi = node.http.postJson("/v1/tasks", user,
        "{\"kind\":\"transcode\",\"blob\":\"" + id + "\",\"params\":{\"format\":\"avi\"}}");
    assertEquals(400, avi.statusCode());
    assertEquals("transcode needs params.format: one of [jpg, mp3, mp4, ogg, pdf, png, wav, webm]",
        avi.bodyAsJsonObject().getString("message"));
    for (String text : new String[] {"\"\"", "\" \"", "\"" + "x".repeat(201) + "\"", "42"}) {
      assertEquals(400, node.http.postJson("/v1/tasks", user, "{\"kind\":\"protect\",\"blob\":\"" + id
          + "\",\"params\":{\"mode\":\"watermark\",\"text\":" + text + "}}").statusCode(), text);
    }
  }
}
