package tributary.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-level} and {@code --log-format} to the process's log, over logback.xml: the
 * root level, and for JSON one object per line on standard output in place of the text appender.
 */
public final class LogSetup {
  private LogSetup() {}

  public static void apply(String level, boolean json) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    if (json) {
      ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
      appender.setContext(context);
      appender.setName("JSON");
      appender.setEncoder(jsonEncoder(context));
      appender.start();
      root.detachAndStopAllAppenders();
      root.addAppender(appender);
    }
  }

  /**
   * The encoder of {@code --log-format=json}. The line a reader wants: time, level, thread, logger,
   * the message as written, any error, and the ids a line is about (X4: its key-value pairs, in
   * {@code kvpList}, and the MDC if anything sets one).
   */
  public static JsonEncoder jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    encoder.setWithKVPList(true);
    encoder.setWithMDC(true);
    encoder.start();
    return encoder;
  }
}
