package tributary.storage.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: the compact needle tables answer exactly as a map of objects would. */
class NeedleMapTest {
  @TempDir
  Path dir;

  private static String hash(Random random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A hash that shares its first half, hence its home slot, with {@code like}: probe runs form. */
  private static String sameHome(String like, Random random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return like.substring(0, 32) + HexFormat.of().formatHex(b);
  }

  /**
   * A store's needles are spread over segments that grow one at a time: no needle added costs a
   * copy of the whole map (three stores filling alike once stalled every upload for 300-400 ms
   * while each allocated and filled a table twice the size).
   */
  @Test
  void noNeedleAddedCopiesTheWholeMap() throws Exception {
    Volume one = Volume.open(dir, 1);
    try {
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      long me = Thread.currentThread().getId();
      Random random = new Random(7);
      NeedleMap map = new NeedleMap();
      int count = 300_000;
      String[] hashes = new String[count];
      for (int i = 0; i < count; i++) {
        hashes[i] = hash(random);
      }
      long most = 0;
      for (int i = 0; i < count; i++) {
        Slot slot = new Slot(one, i, 1024, 0);
        long before = threads.getThreadAllocatedBytes(me);
        map.put(hashes[i], slot);
        most = Math.max(most, threads.getThreadAllocatedBytes(me) - before);
      }
      assertEquals(count, map.size());
      // a whole table for 300,000 needles is 68 MB; a segment's growth here about 140 KB
      assertTrue(most < 1 << 20, "the most one put allocated: " + most + " bytes");
      assertEquals(new Slot(one, 123_456, 1024, 0), map.get(hashes[123_456]));
    } finally {
      one.close();
    }
  }

  @Test
  void randomChangesAnswerAsAMapDoes() throws Exception {
    Volume one = Volume.open(dir, 1);
    Volume two = Volume.open(dir, 2);
    try {
      Random random = new Random(18);
      NeedleMap map = new NeedleMap();
      Map<String, Slot> model = new HashMap<>();
      List<String> known = new ArrayList<>();
      for (int step = 0; step < 200_000; step++) {
        int op = random.nextInt(10);
        String sha = known.isEmpty() || random.nextInt(3) == 0
            ? (known.isEmpty() || random.nextBoolean() ? hash(random) : sameHome(known.get(random.nextInt(known.size())), random))
            : known.get(random.nextInt(known.size()));
        Slot slot = new Slot(random.nextBoolean() ? one : two, random.nextInt(1 << 20), random.nextInt(4096),
            random.nextInt(1000));
        if (op < 5) {
          assertEquals(model.put(sha, slot), map.put(sha, slot), "put " + sha);
          known.add(sha);
        } else if (op < 7) {
          assertEquals(model.remove(sha), map.remove(sha), "remove " + sha);
        } else if (op < 8) {
          Slot was = model.get(sha);
          Slot touched = was == null ? null : was.landed(slot.landedAt());
          if (touched != null) {
            model.put(sha, touched);
          }
          assertEquals(touched, map.touch(sha, slot.landedAt()), "touch " + sha);
        } else if (op < 9) {
          Slot was = model.get(sha);
          Slot expected = random.nextBoolean() || was == null ? slot : was;
          boolean moves = was != null && was.sameNeedle(expected);
          if (moves) {
            model.put(sha, new Slot(slot.volume(), slot.offset(), slot.size(), Math.max(was.landedAt(), slot.landedAt())));
          }
          assertEquals(moves, map.replace(sha, expected, slot), "replace " + sha);
        } else {
          assertEquals(model.get(sha), map.get(sha), "get " + sha);
          assertEquals(model.containsKey(sha), map.contains(sha));
        }
      }
      assertEquals(model.size(), map.size());
      Map<String, Slot> listed = new HashMap<>();
      map.entries().forEach(e -> assertNull(listed.put(e.getKey(), e.getValue()), "listed twice: " + e.getKey()));
      assertEquals(model, listed, "the listing is the model");
      Map<String, Slot> inOne = new HashMap<>();
      map.entriesIn(one).forEach(e -> inOne.put(e.getKey(), e.getValue()));
      Map<String, Slot> expectedInOne = new HashMap<>(model);
      expectedInOne.values().removeIf(slot -> slot.volume() != one);
      assertEquals(expectedInOne, inOne, "a volume's needles are the model's in that volume");
      Map<String, Slot> early = new HashMap<>();
      map.landedBefore(500).forEach(e -> early.put(e.getKey(), e.getValue()));
      Map<String, Slot> expectedEarly = new HashMap<>(model);
      expectedEarly.values().removeIf(slot -> slot.landedAt() >= 500);
      assertEquals(expectedEarly, early, "the needles landed before a time are the model's");
      for (String sha : known) {
        assertEquals(model.get(sha), map.get(sha), "every needle ever put is found as the model has it");
      }
    } finally {
      one.close();
      two.close();
    }
  }

  @Test
  void onlyLowercaseHashesNameNeedles() throws Exception {
    Volume one = Volume.open(dir, 1);
    try {
      NeedleMap map = new NeedleMap();
      String sha = hash(new Random(1));
      map.put(sha, new Slot(one, 0, 1, 1));
      assertNull(map.get(sha.toUpperCase()), "another spelling is another name, found nowhere");
      assertNull(map.get("abc"));
      assertNull(map.get(null));
      assertFalse(map.contains(sha.substring(1) + "g"));
      assertThrows(IllegalArgumentException.class, () -> map.put("not a hash", new Slot(one, 0, 1, 1)));
      assertTrue(map.contains(sha));
    } finally {
      one.close();
    }
  }

  @Test
  void anEntryLogListsItsNeedlesInOrderAndCutsTheTail() {
    Random random = new Random(7);
    EntryLog log = new EntryLog();
    List<Volume.Entry> model = new ArrayList<>();
    long at = 0;
    for (int i = 0; i < 1000; i++) {
      Volume.Entry e = new Volume.Entry(i % 5 == 0 ? Needle.TOMBSTONE : Needle.LIVE, hash(random), at,
          random.nextInt(2000), random.nextLong());
      log.add(e);
      model.add(e);
      at = e.end();
    }
    assertEquals(model, log.toList());
    long cut = model.get(600).end();
    log.cutAfter(cut);
    assertEquals(model.subList(0, 601), log.toList(), "needles ending past the cut are gone, the rest kept");
    log.cutAfter(model.get(600).offset() + 1);
    assertEquals(model.subList(0, 600), log.toList(), "a needle cut through is gone");
    log.clear();
    assertEquals(0, log.size());
  }
}
