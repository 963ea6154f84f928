package tributary;

import io.vertx.core.eventbus.EventBus;
import java.util.List;
import tributary.bus.CacheSwitched;
import tributary.bus.ChannelAppend;
import tributary.bus.ChannelCommitted;
import tributary.bus.ChannelCommittedCodec;
import tributary.bus.CommandNotice;
import tributary.bus.CommitReceipt;
import tributary.bus.ConfigApplied;
import tributary.bus.CoreBatch;
import tributary.bus.CoreBatchCodec;
import tributary.bus.CoreReceipt;
import tributary.bus.EdgeGrant;
import tributary.bus.Envelope;
import tributary.bus.EnvelopeBatch;
import tributary.bus.EnvelopeBatchCodec;
import tributary.bus.EnvelopeCodec;
import tributary.bus.GrantChange;
import tributary.bus.JsonRecordCodec;
import tributary.bus.NodeDirectory;
import tributary.bus.NodeQuery;
import tributary.bus.NodeRegistration;
import tributary.bus.NodeStatus;
import tributary.bus.ProcessorConfigChange;
import tributary.bus.Registered;
import tributary.bus.TokensRevoked;
import tributary.bus.UserCreate;
import tributary.bus.UserCreated;
import tributary.dispatch.DeliveryBatchCodec;
import tributary.dispatch.DispatchMessages;

/** Registers the one codec of every message type; called once per Vert.x instance. */
public final class Codecs {
  private Codecs() {}

  private static final List<Class<? extends Record>> JSON_MESSAGES = List.of(
      CommitReceipt.class, CoreReceipt.class, ChannelAppend.class, NodeRegistration.class, EdgeGrant.class, NodeQuery.class,
      NodeDirectory.class, UserCreate.class, UserCreated.class, ProcessorConfigChange.class,
      GrantChange.class, tributary.placement.StoreLoad.class, DispatchMessages.Submit.class,
      DispatchMessages.Accepted.class, DispatchMessages.Delivered.class,
      DispatchMessages.WorkerRegistration.class, DispatchMessages.WorkerRegistered.class,
      DispatchMessages.UserBinding.class, NodeStatus.class, CommandNotice.class, ConfigApplied.class,
      TokensRevoked.class, CacheSwitched.class, Registered.class);

  public static void registerAll(EventBus bus) {
    bus.registerDefaultCodec(Envelope.class, new EnvelopeCodec());
    bus.registerDefaultCodec(EnvelopeBatch.class, new EnvelopeBatchCodec());
    bus.registerDefaultCodec(CoreBatch.class, new CoreBatchCodec());
    bus.registerDefaultCodec(ChannelCommitted.class, new ChannelCommittedCodec());
    bus.registerDefaultCodec(DispatchMessages.DeliveryBatch.class, new DeliveryBatchCodec());
    for (Class<? extends Record> type : JSON_MESSAGES) {
      register(bus, type);
    }
  }

  private static <T extends Record> void register(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new JsonRecordCodec<>(type));
  }
}
