package tributary.bus;

import io.vertx.core.eventbus.EventBus;
import java.util.List;
import tributary.dispatch.DispatchMessages;

/** Registers the one codec of every message type; called once per Vert.x instance. */
public final class Codecs {
  private Codecs() {}

  private static final List<Class<? extends Record>> JSON_MESSAGES = List.of(
      CommitReceipt.class, CoreReceipt.class, ChannelAppend.class, ChannelCommitted.class, NodeRegistration.class, EdgeGrant.class, NodeQuery.class,
      NodeDirectory.class, UserCreate.class, UserCreated.class, IngestRequest.class, IngestReply.class, ProcessorConfigChange.class,
      GrantChange.class, tributary.storage.StoreLoad.class, DispatchMessages.Submit.class,
      DispatchMessages.Accepted.class, DispatchMessages.Delivered.class,
      DispatchMessages.WorkerRegistration.class, DispatchMessages.WorkerRegistered.class,
      DispatchMessages.UserBinding.class, NodeStatus.class, CommandNotice.class, ConfigApplied.class);

  public static void registerAll(EventBus bus) {
    bus.registerDefaultCodec(Envelope.class, new EnvelopeCodec());
    bus.registerDefaultCodec(EnvelopeBatch.class, new EnvelopeBatchCodec());
    bus.registerDefaultCodec(CoreBatch.class, new CoreBatchCodec());
    bus.registerDefaultCodec(DispatchMessages.DeliveryBatch.class, new DeliveryBatchCodec());
    for (Class<? extends Record> type : JSON_MESSAGES) {
      register(bus, type);
    }
  }

  private static <T extends Record> void register(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new JsonRecordCodec<>(type));
  }
}
