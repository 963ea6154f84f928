package tributary.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tributary.support.Cluster;
import tributary.support.ConsoleBrowser;
import tributary.support.Http;
import tributary.support.TestEnv;

/**
 * The console (C1) in real headless Chromium, driven by Selenium, against a two-node cluster: node
 * "console-a" runs every role, "console-b" the console, edge and gateway, and the page is served
 * by console-b. Each test saves a screenshot of its view under target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  private static final TestEnv ENV = new TestEnv();
  private static Cluster cluster;
  private static Http http;
  private static Http httpA;
  private static String origin;
  private static ConsoleBrowser browser;

  @BeforeAll
  static void startTwoNodes() {
    cluster = new Cluster(ENV);
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("console-a", "all");
    roles.put("console-b", "console,edge,gateway");
    var nodes = cluster.start(roles, Map.of("status-period-ms", "500", "storage-heartbeat-ms", "200",
        "task-poll-ms", "200", "command-poll-ms", "200"));
    int port = nodes.get(1).config().httpPort();
    origin = "http://127.0.0.1:" + port + "/";
    http = new Http(port);
    http.awaitReady(30_000);
    httpA = new Http(nodes.get(0).config().httpPort());
    httpA.awaitReady(30_000);
    browser = new ConsoleBrowser(origin);
  }

  /** Each test starts logged out on a freshly loaded page (one browser serves them all). */
  @BeforeEach
  void loggedOut() {
    browser.logOut();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    http.close();
    httpA.close();
    cluster.close();
    ENV.drop();
  }

  @Test
  void theAdministratorTokenPrintedAtFirstStartLogsIn() throws Exception {
    browser.login(ENV.adminToken);
    assertEquals("administrator", browser.find("#whoami").getText());
    assertTrue(browser.find("#login-card").getAttribute("hidden") != null, "the login card is gone");
    assertEquals(ENV.adminToken, browser.script("return sessionStorage.getItem('tributary.token')"),
        "kept in session storage");
    assertNull(browser.script("return localStorage.getItem('tributary.token')"), "not in local storage");
    browser.await("the overview's totals", d -> !browser.find("#total-records").getText().equals("–"));
    browser.screenshot("login-overview");

    browser.find("#logout").click();
    browser.await("logged out", d -> browser.find("#token").isDisplayed());
    assertNull(browser.script("return sessionStorage.getItem('tributary.token')"));
  }

  @Test
  void aWrongOrMissingTokenShowsWhy() throws Exception {
    browser.open();
    browser.find("#login button[type=submit]").click();
    String missing = browser.await("the message for a missing token", d -> shown("#login-message"));
    assertTrue(missing.contains("Enter a token"), missing);

    browser.type(By.id("token"), "trb_not-a-real-token");
    browser.find("#login button[type=submit]").click();
    String refused = browser.await("the message for a wrong token",
        d -> shown("#login-message").contains("refused") ? shown("#login-message") : null);
    assertTrue(refused.matches("That token was refused: .+\\. Check it was copied whole.*"), "the node's reason shown: " + refused);
    assertFalse(browser.find("#nav").isDisplayed(), "nothing behind the login shows");
    browser.screenshot("wrong-token");
  }

  @Test
  void theOverviewShowsBothNodesOfATwoNodeClusterAndTheirHealthCharts() throws Exception {
    browser.login(ENV.adminToken);
    browser.await("both nodes up in the overview", d -> nodesUp().equals(Set.of("console-a", "console-b")));
    WebElement b = browser.find("#overview-nodes tr[data-node='console-b']");
    assertTrue(b.getText().contains("console, edge, gateway") || b.getText().contains("edge, gateway, console"), b.getText());
    assertTrue(browser.find("#overview-nodes tr[data-node='console-a']").getText().contains("management"));
    browser.screenshot("overview-two-nodes");

    browser.view("health");
    browser.await("three charts per node, with data", d -> browser.all(".node-charts").size() == 2
        && browser.all(".node-charts .uplot").size() == 6
        && ((Number) browser.script("return document.querySelectorAll('.node-charts .u-over').length")).intValue() == 6);
    browser.await("a few status points", d -> ((Number) browser.script(
        "return Math.min(...[...document.querySelectorAll('.node-charts')].map(n => n.dataset.points|0))")).intValue() >= 3);
    browser.screenshot("node-health");
  }

  @Test
  void aRecordPostedThroughTheApiAppearsInAWatchedChannelWithinASecond() throws Exception {
    watchLive("live-demo");

    StringBuilder burst = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      burst.append("{\"payload\":{\"n\":").append(i).append("}}\n");
    }
    JsonArray stored = http.send(io.vertx.core.http.HttpMethod.POST, "/v1/channels/live-demo/records", ENV.adminToken,
        "application/x-ndjson", burst.toString()).bodyAsJsonObject().getJsonArray("records");
    browser.await("the three records in the watched channel within a second", Duration.ofSeconds(1),
        d -> browser.all(".watcher[data-channel='live-demo'] tbody tr").size() == 3);
    List<String> ids = browser.all(".watcher[data-channel='live-demo'] tbody tr span.id").stream()
        .map(WebElement::getText).toList();
    List<String> sent = stored.stream().map(r -> ((JsonObject) r).getString("id")).toList();
    assertEquals(Set.copyOf(sent), Set.copyOf(ids), "every id shown whole, so that a burst's ids differ");
    assertEquals(List.of("3", "2", "1"), cursorsShown(".watcher[data-channel='live-demo']"),
        "newest first, each with its cursor");

    // a second channel side by side, its record posted from the page, and nothing of it in the first
    browser.type(By.id("watch-channel"), "side-demo");
    browser.find("#watch button[type=submit]").click();
    String side = ".watcher[data-channel='side-demo']";
    browser.await("the second watcher connected", d -> browser.find(side + " .badge").getText().equals("live"));
    browser.find(side + " form.post button").click();
    browser.await("the page's test record in the second watcher", d -> browser.all(side + " tbody tr").size() == 1
        && browser.find(side + " form.post").getText().contains("stored at cursor 1"));
    assertEquals(3, browser.all(".watcher[data-channel='live-demo'] tbody tr").size());

    // paused, the first misses nothing: resumed, it gets what came meanwhile, once each, in order
    String first = ".watcher[data-channel='live-demo']";
    browser.find(first + " button.pause").click();
    browser.await("paused", d -> browser.find(first + " .badge").getText().equals("paused"));
    http.send(io.vertx.core.http.HttpMethod.POST, "/v1/channels/live-demo/records", ENV.adminToken,
        "application/x-ndjson", "{\"payload\":3}\n{\"payload\":4}\n");
    assertEquals(3, browser.all(first + " tbody tr").size(), "nothing arrives while paused");
    browser.find(first + " button.pause").click();
    try {
      browser.await("the records of the pause after resuming", d -> browser.all(first + " tbody tr").size() == 5);
    } catch (org.openqa.selenium.TimeoutException e) {
      // failed once in a full run (not reproduced in 3 runs of the class): say what the page saw
      throw new AssertionError("the records of the pause did not show after resuming; the watcher says '"
          + browser.find(first + " .badge").getText() + "', '" + browser.find(first + " span.muted").getText()
          + "'; rows: " + cursorsShown(first)
          + "; the node counts " + http.get("/metrics", ENV.adminToken).bodyAsString().lines()
          .filter(l -> l.startsWith("tributary_sse_streams")).toList(), e);
    }
    assertEquals(List.of("5", "4", "3", "2", "1"), cursorsShown(first));
    browser.find("#view-channels form.inline button[type=submit]").click();
    browser.await("the channel in the list with its length", d -> browser.all("#channel-list tr[data-channel='live-demo']")
        .stream().anyMatch(r -> r.getText().contains("live-demo")));
    browser.screenshot("channel-live");
  }

  @Test
  void aChannelsTtlAndRightsAreEditedInTheList() throws Exception {
    assertEquals(202, http.postJson("/v1/channels/edit-demo/records", ENV.adminToken, "{\"payload\":1}").statusCode());
    browser.login(ENV.adminToken);
    browser.view("channels");
    browser.type(By.id("channel-filter"), "edit-");
    browser.find("#view-channels form.inline button[type=submit]").click();
    String row = "#channel-list tr[data-channel='edit-demo']";
    browser.await("the channel listed", d -> browser.all(row).size() == 1 && browser.all("#channel-list tbody tr").size() == 1);

    browser.await("120 s typed", d -> { // the list may re-render under the first try
      browser.type(By.cssSelector(row + " form.ttl input[name=seconds]"), "120");
      return true;
    });
    browser.find(row + " form.ttl input[name=cached]").click(); // Q1: out of the cache
    browser.find(row + " form.ttl button").click();
    browser.await("the TTL saved", d -> browser.find(row).getText().contains("saved"));
    JsonObject cache = http.get("/v1/channels/edit-demo", ENV.adminToken).bodyAsJsonObject().getJsonObject("cache");
    assertEquals(120_000L, cache.getLong("ttlMs"));
    assertEquals(false, cache.getBoolean("cached"), "the switch in the list takes the channel out of Redis");

    browser.find(row + " td:nth-child(6) > button").click();
    browser.type(By.cssSelector(row + " form.acl input[name=readers]"), "alice, bob");
    browser.find(row + " form.acl button[type=submit]").click();
    browser.await("the rights shown restricted", d -> browser.find(row).getText().contains("readers alice, bob"));
    assertEquals(List.of("alice", "bob"), http.get("/v1/channels/edit-demo/acl", ENV.adminToken).bodyAsJsonObject()
        .getJsonArray("readers").getList());
    browser.screenshot("channels-edit");
  }

  @Test
  void anUploadShowsProgressAndEndsWithThreeCopies() throws Exception {
    Path file = Files.createTempFile("console-upload", ".bin");
    try {
      Files.write(file, new byte[16 * 1024 * 1024]);
      browser.login(ENV.adminToken);
      browser.view("storage");
      browser.await("three storage nodes", d -> browser.all("#stores tbody tr").size() == 3);
      browser.find("#file").sendKeys(file.toAbsolutePath().toString());
      new Select(browser.find("#blob-type")).selectByVisibleText("document");
      browser.find("#upload button[type=submit]").click();
      browser.await("the upload acknowledged", d -> browser.find("#upload-result").getText().contains("16777216 bytes"));
      assertEquals("100", browser.find("#upload-progress").getAttribute("value"));
      String seen = browser.find("#upload-progress").getAttribute("data-seen");
      assertTrue(java.util.Arrays.stream(seen.split(" ")).mapToInt(Integer::parseInt).anyMatch(p -> p > 0 && p < 100),
          "progress shown on the way, not only at the end: " + seen);
      browser.await("three healthy copies", Duration.ofSeconds(30), d -> browser.all("#copies tbody td.healthy").size() == 3);
      assertTrue(browser.find("#blob-summary").getText().contains("3 of 3 copies healthy"), browser.find("#blob-summary").getText());
      browser.screenshot("storage-upload");

      String blobId = browser.find("#blob-lookup input[name=blob]").getAttribute("value");
      browser.view("lineage");
      browser.type(By.id("lookup-id"), blobId);
      browser.find("#lookup button[type=submit]").click();
      browser.await("the blob and its three copies drawn", d -> browser.all("#lineage-graph g[data-kind='blob']").size() == 1
          && browser.all("#lineage-graph g[data-kind='copy'][data-state='healthy']").size() == 3);
      browser.screenshot("lineage-blob");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aLineageLookUpDrawsTheRecordsCopies() throws Exception {
    String id = http.postJson("/v1/channels/lineage-demo/records", ENV.adminToken, "{\"payload\":{\"t\":21.5}}")
        .bodyAsJsonObject().getJsonArray("records").getJsonObject(0).getString("id");
    browser.login(ENV.adminToken);
    browser.view("lineage");
    browser.type(By.id("lookup-id"), id);
    browser.await("the record's three stored copies drawn", Duration.ofSeconds(30), d -> {
      if (browser.all("#lineage-graph g[data-kind='copy'][data-state='healthy']").size() >= 3) {
        return true;
      }
      browser.find("#lookup button[type=submit]").click(); // the archiver writes the copies shortly after the commit
      return false;
    });
    for (String kind : List.of("edge", "gateway", "core")) {
      assertEquals(1, browser.all("#lineage-graph g[data-kind='" + kind + "']").size(), kind);
    }
    assertTrue(browser.find("#lineage-graph g[data-kind='core']").getText().contains("lineage-demo"));
    assertEquals(browser.all("#lineage-graph g[data-kind='copy']").size(), browser.all("#lineage-copies tbody tr").size());
    browser.screenshot("lineage-record");
  }

  @Test
  void aCommandSentFromThePageShowsItsResult() throws Exception {
    browser.login(ENV.adminToken);
    browser.view("commands");
    browser.await("both nodes to choose from", d -> browser.all("#command-node option").size() == 2);
    new Select(browser.find("#command-node")).selectByValue("console-b");
    new Select(browser.find("#command-name")).selectByValue("clear-cache");
    new Select(browser.find("#command-scope")).selectByValue("channel");
    browser.type(By.id("command-target"), "live-demo");
    browser.find("#command-form button[type=submit]").click();
    String output = browser.await("the command done, with its output", d -> {
      List<WebElement> done = browser.all("#commands tbody tr[data-state='done'] .output");
      return done.isEmpty() ? null : done.get(0).getText();
    });
    assertTrue(output.contains("channel 'live-demo'"), output);
    assertTrue(browser.find("#command-sent").getText().contains("queued for console-b"));
    browser.screenshot("command-result");
  }

  @Test
  void aWatchedChannelAtAThousandRecordsASecondKeepsABoundedTableAndEveryCursor() throws Exception {
    watchLive("busy");
    browser.script("window.frameGaps = []; let last = performance.now();"
        + "const tick = (t) => { window.frameGaps.push(t - last); last = t; if (!window.stopFrames) requestAnimationFrame(tick); };"
        + "requestAnimationFrame(tick); window.longTasks = [];"
        + "new PerformanceObserver((l) => l.getEntries().forEach((e) => window.longTasks.push(e.duration)))"
        + ".observe({type: 'longtask'});");
    int batches = 30;
    String batch = "{\"payload\":{\"v\":1}}\n".repeat(100);
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    List<io.vertx.core.Future<?>> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    try {
      // 100 records every 100 ms: 1,000 records a second for three seconds
      pacer.scheduleAtFixedRate(() -> {
        if (n.getAndIncrement() < batches) {
          sent.add(http.sendAsync(io.vertx.core.http.HttpMethod.POST, "/v1/channels/busy/records", ENV.adminToken,
              "application/x-ndjson", batch));
        }
      }, 0, 100, TimeUnit.MILLISECONDS);
      browser.await("every record received", Duration.ofSeconds(30), d -> browser.find(".watcher[data-channel='busy'] .muted")
          .getText().startsWith("up to cursor " + batches * 100 + " · " + String.format("%,d", batches * 100) + " received"));
    } finally {
      pacer.shutdownNow();
    }
    assertEquals(200, browser.all(".watcher[data-channel='busy'] tbody tr").size(), "a bounded table");
    assertEquals(String.valueOf(batches * 100), browser.find(".watcher[data-channel='busy'] tbody tr").getAttribute("data-cursor"));
    double worst = ((Number) browser.script("window.stopFrames = true; return Math.max(...window.frameGaps)")).doubleValue();
    System.out.println("longest frame gap while following 1,000 records/s: " + worst + " ms; long tasks: "
        + browser.script("return JSON.stringify(window.longTasks)") + "; DOM updates: "
        + browser.find(".watcher[data-channel='busy']").getAttribute("data-frames"));
    int frames = Integer.parseInt(browser.find(".watcher[data-channel='busy']").getAttribute("data-frames"));
    assertTrue(frames <= batches * 100 / 5, "records rendered in batches, one DOM update per frame: " + frames + " updates");
    browser.screenshot("channel-busy");
  }

  @Test
  void theTasksViewShowsADispatchTask() throws Exception {
    String alice = httpA.createUser(ENV.adminToken, "alice");
    httpA.createUser(ENV.adminToken, "bob");
    var sent = httpA.sendAsync(io.vertx.core.http.HttpMethod.POST, "/v1/send_data/reading", alice, "application/json",
        "{\"t\": 21.5}", Map.of("USER-AGENT", "alice", "LEVEL", "2", "DES-USER", "bob"));
    String taskId = TestEnv.await(sent).bodyAsJsonObject().getString("taskId");
    browser.login(ENV.adminToken);
    browser.view("tasks");
    WebElement row = browser.await("the task delivered in the table", Duration.ofSeconds(30), d -> {
      List<WebElement> rows = browser.all("#dispatch-tasks tr[data-task='" + taskId + "']");
      return rows.isEmpty() || !rows.get(0).getAttribute("data-state").equals("delivered") ? null : rows.get(0);
    });
    assertTrue(row.getText().contains("alice → bob"), row.getText());
    row.findElement(By.tagName("a")).click();
    browser.await("the task's record", d -> browser.find("#task-detail").getText().contains("Failed attempts (0)"));
    browser.screenshot("tasks");
  }

  @Test
  void thePipelineViewCreatesAUserAndShowsItsTokenOnce() throws Exception {
    browser.login(ENV.adminToken);
    browser.view("settings");
    browser.type(By.cssSelector("#user-form input[name=userId]"), "carol");
    browser.find("#user-form button[type=submit]").click();
    String created = browser.await("the new user's token", d -> browser.find("#user-created").getText().contains("trb_")
        ? browser.find("#user-created").getText() : null);
    String token = created.substring(created.indexOf("trb_")).trim();
    assertEquals(200, http.get("/v1/channels?limit=1", token).statusCode(), "the token shown works");
    browser.await("carol in the user list", d -> !browser.all("#users tr[data-user='carol']").isEmpty());

    browser.find("#users tr[data-user='carol'] button").click();
    String tokens = "#user-created table.tokens tbody tr";
    browser.await("carol's one token listed", d -> browser.all(tokens).size() == 1);
    browser.type(By.cssSelector("#user-created form input[name=label]"), "second");
    browser.find("#user-created form button[type=submit]").click();
    String second = browser.await("a second token, shown once", d -> browser.all(tokens).size() == 2
        && browser.find("#user-created .token-issued").getText().contains("trb_")
        ? browser.find("#user-created .token-issued span.id").getText() : null);
    assertEquals(200, http.get("/v1/channels?limit=1", second).statusCode());
    WebElement labelled = browser.all(tokens).stream().filter(r -> r.getText().contains("second")).findFirst().orElseThrow();
    labelled.findElement(By.tagName("button")).click();
    browser.await("the second token revoked", d -> browser.all(tokens).size() == 1);
    assertEquals(401, http.get("/v1/channels?limit=1", second).statusCode(), "a revoked token is refused");
    browser.screenshot("pipeline");
  }

  @Test
  void aUserWithoutAdministratorRightsSeesEachRefusalInPlace() throws Exception {
    String dave = http.createUser(ENV.adminToken, "dave");
    browser.login(dave);
    assertEquals("user (no administrator rights)", browser.find("#whoami").getText());
    browser.await("the overview's nodes", d -> nodesUp().size() == 2);
    browser.view("commands");
    String status = browser.await("the refusal in the commands panel", d -> {
      String text = browser.find("#view-commands .source").getText();
      return text.contains("administrator") ? text : null;
    });
    assertTrue(status.contains("this needs an administrator token (403 forbidden)"), status);
    browser.screenshot("commands-refused-for-a-user");
  }

  /** Runs last: it stops the cluster's only management node. */
  @Test
  @Order(Integer.MAX_VALUE)
  void whenManagementIsDownTheOverviewKeepsItsLastDataMarkedStale() throws Exception {
    browser.login(ENV.adminToken);
    browser.await("both nodes in the overview", d -> nodesUp().size() == 2);
    TestEnv.await(cluster.node("console-a").stop());
    String status = browser.await("the node list marked stale", Duration.ofSeconds(30), d -> {
      String text = browser.find("#overview-nodes").findElement(By.xpath("ancestor::section//span[contains(@class,'source')]"))
          .getText();
      return text.startsWith("stale") ? text : null;
    });
    assertTrue(status.contains("no node of the needed role is running") || status.contains("unavailable"), status);
    assertEquals(2, browser.all("#overview-nodes tbody tr").size(), "the last data stays");
    browser.screenshot("overview-stale");
  }

  /** Logs in and opens a watcher on the channel, from its end, once it is connected. */
  /** The cursors of the rows a watcher shows, top to bottom. */
  private static List<String> cursorsShown(String watcher) {
    return browser.all(watcher + " tbody tr").stream().map(r -> r.getAttribute("data-cursor")).toList();
  }

  private static void watchLive(String channel) {
    browser.login(ENV.adminToken);
    browser.view("channels");
    browser.type(By.id("watch-channel"), channel);
    browser.find("#watch button[type=submit]").click();
    browser.await("the watcher connected",
        d -> browser.find(".watcher[data-channel='" + channel + "'] .badge").getText().equals("live"));
  }

  private static String shown(String css) {
    WebElement el = browser.find(css);
    return el.isDisplayed() ? el.getText() : null;
  }

  private static Set<String> nodesUp() {
    return browser.all("#overview-nodes tbody tr").stream()
        .filter(r -> r.findElement(By.cssSelector(".badge")).getText().equals("up"))
        .map(r -> r.getAttribute("data-node")).collect(Collectors.toSet());
  }
}
