package tributary.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransferServerTest {
  @Test
  void anUploadIsAPutToTheNodesBlobs() {
    TransferServer.Ask ask = TransferServer.Ask.of("PUT", "/internal/stores/n1-s2/blobs");
    assertEquals("n1-s2", ask.nodeId());
    assertTrue(ask.upload());
    assertNull(ask.sha256());
    assertTrue(ask.served());
  }

  @Test
  void aBatchIsAPutToTheNodesNeedles() {
    TransferServer.Ask ask = TransferServer.Ask.of("PUT", "/internal/stores/n1-s2/needles");
    assertEquals("n1-s2", ask.nodeId());
    assertTrue(ask.batch());
    assertFalse(ask.upload());
    assertTrue(ask.served());
    for (String[] other : new String[][] {{"GET", "/internal/stores/n1/needles"},
        {"PUT", "/internal/stores/n1/needles/x"}}) {
      TransferServer.Ask not = TransferServer.Ask.of(other[0], other[1]);
      assertEquals("n1", not.nodeId());
      assertFalse(not.served(), other[0] + " " + other[1]);
    }
  }

  @Test
  void aReadIsAGetOfOneBlob() {
    TransferServer.Ask ask = TransferServer.Ask.of("GET", "/internal/stores/n1/blobs/abc123");
    assertEquals("n1", ask.nodeId());
    assertFalse(ask.upload());
    assertEquals("abc123", ask.sha256());
  }

  @Test
  void otherMethodsOnANodesPathAreNotServedButStillNameTheNode() {
    for (String[] request : new String[][] {{"GET", "/internal/stores/n1/blobs"}, {"PUT", "/internal/stores/n1/blobs/x"},
        {"DELETE", "/internal/stores/n1/blobs/x"}, {"GET", "/internal/stores/n1/blobs/x/y"}}) {
      TransferServer.Ask ask = TransferServer.Ask.of(request[0], request[1]);
      assertEquals("n1", ask.nodeId(), request[0] + " " + request[1]);
      assertFalse(ask.served(), request[0] + " " + request[1]);
    }
  }

  @Test
  void pathsOutsideTheStoresNameNoNode() {
    for (String path : new String[] {"/", "/internal/stores/n1", "/internal/nodes/n1/blobs", "/v1/blobs/x/y/z"}) {
      assertNull(TransferServer.Ask.of("GET", path).nodeId(), path);
    }
  }

  @Test
  void aRangeBoundThatIsNoNumberIsRefusedAsNegative() {
    assertEquals(0, TransferServer.longParam(null, 0));
    assertEquals(Long.MAX_VALUE, TransferServer.longParam(null, Long.MAX_VALUE));
    assertEquals(42, TransferServer.longParam("42", 0));
    assertEquals(-1, TransferServer.longParam("4x", 0));
  }

  @Test
  void theServerDropsIdleConnectionsAfterTwoMinutes() {
    assertEquals(120, TransferServer.serverOptions(new io.vertx.core.http.HttpServerOptions()).getIdleTimeout());
  }
}
