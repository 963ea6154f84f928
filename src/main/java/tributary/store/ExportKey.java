package tributary.store;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import tributary.dispatch.UserQueues;
import tributary.processing.ResultChannels;

/**
 * What a sink's filter is matched against for one committed record (E8): whether it is a result,
 * the input channel it belongs to and the input data type. A result counts under its input's
 * channel and type, so a sink on channel "boiler" and type "temp" gets boiler's raw temp records
 * and, when it includes results, what was computed from them. Matching itself happens in the append
 * statement against the sinks table, so a sink sees every record committed after it was created.
 */
public record ExportKey(boolean result, String channel, String dataType) {

  /**
   * The key of a record about to be committed; null for edge feeds, which repeat results, and for
   * users' dispatch queues, whose data goes to its user only: neither is ever exported.
   */
  public static ExportKey of(String channel, String dataType, String payload) {
    if (ResultChannels.isEdgeFeed(channel) || UserQueues.isUserQueue(channel)) {
      return null;
    }
    String input = ResultChannels.inputOf(channel);
    return input == null ? new ExportKey(false, channel, dataType) : new ExportKey(true, input, sourceType(payload));
  }

  private static String sourceType(String payload) {
    try {
      Object json = payload == null ? null : Json.decodeValue(payload);
      return json instanceof JsonObject o && o.getValue("source") instanceof JsonObject source
          && source.getValue("dataType") instanceof String type ? type : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
