package tributary.archive;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import tributary.bus.StoredRecord;

/**
 * The hand-off of committed records to storage (E7) and the look-up of where their copies are.
 * Core calls {@link #archive} after each commit; the storage role (issue #5) provides the
 * implementation that places copies on storage nodes. Until then {@link DatabaseArchive} reports
 * the one copy every committed record has: its PostgreSQL row.
 */
public interface RecordArchive {
  /** Places copies of records that are already durable in PostgreSQL. */
  Future<Void> archive(List<StoredRecord> records);

  /** The copies of a record, or null when there is no such record. */
  Future<List<Copy>> placement(String recordId);

  /** One stored copy: where it is, its checksum and state. */
  record Copy(String store, String node, String location, String sha256, String state, long verifiedAt) {
    public JsonObject toJson() {
      return new JsonObject().put("store", store).put("node", node).put("location", location).put("sha256", sha256)
          .put("state", state).put("verifiedAt", verifiedAt);
    }
  }
}
