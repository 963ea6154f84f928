package tributary.archive;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import tributary.bus.Addresses;
import tributary.bus.StoredRecord;
import tributary.storage.BlobCatalog;
import tributary.store.RecordStore;

/**
 * The storage hand-off (E7): committed records are already durable in PostgreSQL; the storage
 * role's archiver is told, and writes them in segments to three storage nodes (the edge's site
 * first). A record's placement lists its PostgreSQL row and every copy of its segment.
 */
public final class StorageArchive implements RecordArchive {
  private static final long NOTICE_EVERY_MS = 500;

  private final Vertx vertx;
  private final DatabaseArchive database;
  private final ArchiveStore archive;
  private final BlobCatalog catalog;
  private final RecordStore records;
  private long lastNotice;

  public StorageArchive(Vertx vertx, Pool pool, String databaseNode) {
    this.vertx = vertx;
    this.records = new RecordStore(pool);
    this.database = new DatabaseArchive(records, databaseNode);
    this.archive = new ArchiveStore(pool);
    this.catalog = new BlobCatalog(pool);
  }

  /**
   * Tells the archivers, at most every {@link #NOTICE_EVERY_MS}: commits come hundreds a second and
   * the notice goes to every storage node of the cluster, while a segment wants 1,000 records;
   * what a skipped notice would have said, the next notice or the archivers' own sweep picks up.
   */
  @Override
  public Future<Void> archive(List<StoredRecord> committed) {
    long now = System.currentTimeMillis();
    if (now - lastNotice >= NOTICE_EVERY_MS) {
      lastNotice = now;
      vertx.eventBus().publish(Addresses.ARCHIVE_NOTICE, null);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<List<Copy>> placement(String recordId) {
    return records.byId(recordId).compose(record -> record == null ? Future.succeededFuture(null)
        : Future.all(database.placement(recordId), archive.segmentOf(record.channel(), record.cursor()))
            .compose(both -> {
              List<Copy> copies = new ArrayList<>(both.<List<Copy>>resultAt(0));
              String segment = both.resultAt(1);
              if (segment == null) {
                return Future.succeededFuture(copies);
              }
              return catalog.copies(segment).map(list -> {
                for (BlobCatalog.Copy c : list) {
                  copies.add(new Copy("blob", c.storeId(), c.path() + "#segment=" + segment, c.sha256(),
                      c.readable() ? c.state() : c.state() + " (node " + c.nodeState() + ")", c.verifiedAt()));
                }
                return copies;
              });
            }));
  }
}
