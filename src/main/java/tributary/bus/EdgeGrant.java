package tributary.bus;

import io.vertx.core.shareddata.Shareable;
import java.util.List;

/**
 * Management's answer to a registration (E1): the data types the edge may submit (empty = any),
 * its default priority and the envelope protocol version it must speak. Immutable, so the node's
 * verticles share one instance. {@code revision} is when management stored it (0 = never set), so a
 * node keeps the newest of a pushed grant and a registration answer that crossed it on the bus.
 * {@code resultHook} (null: none) is a URL on the edge's side that receives the edge's results (E6);
 * it wins over the edge's own {@code edge-result-hook} option.
 */
public record EdgeGrant(List<String> permittedTypes, int defaultPriority, int protocolVersion, long revision,
    String resultHook) implements Shareable {
  /** The grant of an edge no administrator limited: any data type, at priority 5 (revision 0: never set). */
  public static final EdgeGrant DEFAULT = new EdgeGrant(List.of(), 5, Envelope.PROTOCOL_VERSION, 0, null);

  public EdgeGrant {
    permittedTypes = List.copyOf(permittedTypes);
  }

  /** Whether an edge speaking envelope protocol {@code spoken} may submit under this grant (E1). */
  public boolean speaks(int spoken) {
    return protocolVersion == spoken;
  }

  public boolean permits(String dataType) {
    return permittedTypes.isEmpty() || permittedTypes.contains(dataType);
  }
}
