package tributary.archive;

import io.vertx.core.Future;
import java.util.List;
import tributary.bus.StoredRecord;
import tributary.digest.Digests;
import tributary.store.RecordStore;

/**
 * The archive before storage nodes exist: the PostgreSQL row is the record's only copy, so there
 * is nothing further to place and the placement lists that row with the hash of its payload.
 */
public final class DatabaseArchive implements RecordArchive {
  private final RecordStore records;
  private final String databaseNode;

  public DatabaseArchive(RecordStore records, String databaseNode) {
    this.records = records;
    this.databaseNode = databaseNode;
  }

  @Override
  public Future<Void> archive(List<StoredRecord> committed) {
    return Future.succeededFuture();
  }

  @Override
  public Future<List<Copy>> placement(String recordId) {
    return records.byId(recordId).map(r -> r == null ? null : List.of(new Copy("postgresql", databaseNode,
        "records/" + r.channel() + "/" + r.cursor(), Digests.sha256Hex(r.payload() != null ? r.payload() : r.blobRef()),
        "committed", r.committedAt())));
  }
}
