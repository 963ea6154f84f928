package tributary.bus;

import io.vertx.core.json.JsonObject;

/** Sets ({@code config} given) or removes ({@code config} null) the processing of a data type. */
public record ProcessorConfigChange(String dataType, String config) {
  public JsonObject configJson() {
    return config == null ? null : new JsonObject(config);
  }
}
