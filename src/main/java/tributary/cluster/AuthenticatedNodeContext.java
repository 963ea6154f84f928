package tributary.cluster;

import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.nio.MemberSocketInterceptor;

/**
 * Hazelcast's node set-up with one change: every connection passes the {@link MemberHandshake}.
 * Open-source Hazelcast has no member authentication of its own (its socket interceptor and TLS
 * are Enterprise features), but it asks the node extension for an interceptor on every accepted
 * and every made connection; this extension answers with ours. Internal API of Hazelcast 5.3,
 * pinned by the Vert.x BOM.
 */
public final class AuthenticatedNodeContext extends DefaultNodeContext {
  private final MemberHandshake handshake;

  public AuthenticatedNodeContext(MemberHandshake handshake) {
    this.handshake = handshake;
  }

  @Override
  public NodeExtension createNodeExtension(Node node) {
    return new DefaultNodeExtension(node) {
      @Override
      public MemberSocketInterceptor getSocketInterceptor(EndpointQualifier endpointQualifier) {
        return handshake;
      }
    };
  }
}
