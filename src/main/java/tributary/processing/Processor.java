package tributary.processing;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One processing step for a data type (E5). Steps run at core before the input commits, so an
 * input and everything derived from it commit in one transaction or not at all.
 */
public interface Processor {
  /** Short name, used in result records and provenance. */
  String name();

  /**
   * Checks an input's payload and returns it, normalised if this step does that; throws
   * {@link RecordRejected} to refuse the input.
   */
  default Object prepare(Object payload) {
    return payload;
  }

  /** Result bodies derived from one (prepared) input; each names the rule that produced it. */
  default List<JsonObject> derive(Object payload) {
    return List.of();
  }
}
