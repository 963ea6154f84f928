package tributary.query;

import io.vertx.core.Future;

/**
 * What one reader is shown of a page it read (X3: an edge's feed shows each reader the results
 * of the channels it may read). The page keeps its next cursor, so the reader moves past what it
 * is not shown.
 */
@FunctionalInterface
public interface PageFilter {
  /** Shows everything. */
  PageFilter ALL = Future::succeededFuture;

  Future<ChannelReader.Page> apply(ChannelReader.Page page);
}
