package tributary.dispatch;

import java.util.List;

/** The messages of section D on the event bus, each with its one codec (see tributary.Codecs). */
public final class DispatchMessages {
  private DispatchMessages() {}

  /** A task as it travels from the sender's worker to the destination's: its data byte-exact. */
  public record Task(String taskId, String sender, String dest, String dataType, int level, String contentType,
      byte[] payload, long createdAt, int sourceWorker) {}

  /**
   * send_data handed to the sender's worker; {@code via} is the node that took the HTTP request,
   * {@code requestId} its {@code X-Request-Id}, for the log lines about the task (X4).
   */
  public record Submit(String sender, String dest, String dataType, int level, String contentType, byte[] payload,
      String via, String requestId) {}

  /** The sender's worker took the task: it is durable and queued. */
  public record Accepted(String taskId) {}

  /** Tasks for one destination worker, in the order to deliver them. */
  public record DeliveryBatch(String sourceNode, List<Task> tasks) {}

  /** The destination worker put these tasks into their users' queues (or had already). */
  public record Delivered(List<String> taskIds) {}

  /** A worker asks management for its number. */
  public record WorkerRegistration(String nodeId, String httpUrl) {}

  /** A worker's number (its route). */
  public record WorkerRegistered(int number) {}

  /** Binds a user to a worker; a null worker asks for the least-loaded live one. Answered with the binding made. */
  public record UserBinding(String userId, Integer worker) {}
}
