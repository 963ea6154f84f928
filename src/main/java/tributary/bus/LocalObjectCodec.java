package tributary.bus;

import io.vertx.core.eventbus.MessageCodec;

/**
 * What every codec of ours shares (vertx-examples): a local send passes the object itself
 * ({@code transform} returns it), the codec is a user codec, and its name says the wire form.
 */
public abstract class LocalObjectCodec<T> implements MessageCodec<T, T> {
  private final String name;

  protected LocalObjectCodec(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T message) {
    return message;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
