package tributary.faults;

import java.util.Map;

/**
 * What the stores hold at the end of a run, as far as the checker needs it.
 *
 * @param records every record of the writers' channels by id
 * @param recordMarkers how many stored records carry each writer marker
 * @param lastCursors each writer channel's newest cursor
 * @param taskStates every dispatch task's state by id
 * @param taskMarkers how many stored tasks carry each marker as payload
 * @param blobs what the API says of each acknowledged blob
 */
record StoreSnapshot(Map<String, Row> records, Map<String, Integer> recordMarkers, Map<String, Long> lastCursors,
    Map<String, String> taskStates, Map<String, Integer> taskMarkers, Map<String, Blob> blobs) {

  /** A stored record's place. */
  record Row(String channel, long cursor) {}

  /**
   * A blob as the API shows it: {@code found} false when it answers 404; {@code readable} copies
   * healthy on live nodes, {@code wanted} its copy count, {@code sha256} of the bytes downloaded.
   */
  record Blob(boolean found, int readable, int wanted, String sha256) {}
}
