package tributary.storage.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatermarkTest {
  private static final int WIDTH = 400;
  private static final int HEIGHT = 300;
  private static final String TEXT = "tributary";
  private static final Rectangle FAR_FROM_MARK = new Rectangle(0, 0, 100, 100);

  @TempDir Path dir;

  @Test
  void pngIsMarkedInTheCornerAndUntouchedElsewhere() throws IOException {
    Path in = write(gradient(BufferedImage.TYPE_INT_RGB), "png", "in.png");
    Path out = dir.resolve("out.png");

    Watermark.apply(in, out, TEXT);

    assertEquals("png", formatOf(out));
    BufferedImage before = ImageIO.read(in.toFile());
    BufferedImage after = ImageIO.read(out.toFile());
    Rectangle mark = Watermark.markArea(WIDTH, HEIGHT, TEXT);
    assertTrue(share(before, after, mark, 30) > 0.1, "a tenth of the mark area is visibly drawn");
    assertEquals(0, share(before, after, FAR_FROM_MARK, 0), "the rest is left exactly as it was");
  }

  @Test
  void jpegStaysJpegAndIsMarkedInTheCorner() throws IOException {
    Path in = write(gradient(BufferedImage.TYPE_INT_RGB), "jpg", "in.jpg");
    Path out = dir.resolve("out.jpg");

    Watermark.apply(in, out, TEXT);

    assertEquals("JPEG", formatOf(out));
    BufferedImage before = ImageIO.read(in.toFile());
    BufferedImage after = ImageIO.read(out.toFile());
    Rectangle mark = Watermark.markArea(WIDTH, HEIGHT, TEXT);
    assertTrue(share(before, after, mark, 30) > 0.1, "a tenth of the mark area is visibly drawn");
    assertEquals(0, share(before, after, FAR_FROM_MARK, 12), "re-encoding adds only slight noise");
  }

  @Test
  void formatComesFromTheContentNotTheFileName() throws IOException {
    Path in = write(gradient(BufferedImage.TYPE_INT_RGB), "png", "really-a-png.jpg");
    Path out = dir.resolve("out.jpg");

    Watermark.apply(in, out, TEXT);

    assertEquals("png", formatOf(out));
  }

  @Test
  void transparentPngKeepsItsTransparency() throws IOException {
    BufferedImage clear = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_ARGB);
    Path in = write(clear, "png", "clear.png");
    Path out = dir.resolve("out.png");

    Watermark.apply(in, out, TEXT);

    BufferedImage after = ImageIO.read(out.toFile());
    assertTrue(after.getColorModel().hasAlpha());
    assertEquals(0, after.getRGB(0, 0) >>> 24, "the top-left corner is still fully transparent");
  }

  @Test
  void markFitsInsideTheImageInTheBottomRightCorner() {
    Rectangle mark = Watermark.markArea(WIDTH, HEIGHT, TEXT);
    assertTrue(new Rectangle(0, 0, WIDTH, HEIGHT).contains(mark));
    assertTrue(mark.x > WIDTH / 2 && mark.y > HEIGHT / 2, "bottom-right quarter: " + mark);
    Rectangle longText = Watermark.markArea(WIDTH, HEIGHT, TEXT.repeat(10));
    assertTrue(longText.width < WIDTH, "long text shrinks to fit: " + longText);
  }

  @Test
  void nonImageInputIsRefused() throws IOException {
    Path in = Files.writeString(dir.resolve("notes.png"), "just some text, not pixels");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Watermark.apply(in, dir.resolve("out.png"), TEXT));
    assertTrue(e.getMessage().startsWith("not an image"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out.png")));
  }

  private static BufferedImage gradient(int type) {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, type);
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int red = x * 255 / WIDTH;
        int green = y * 255 / HEIGHT;
        image.setRGB(x, y, 0xFF000000 | red << 16 | green << 8 | 0x40);
      }
    }
    return image;
  }

  private Path write(BufferedImage image, String format, String name) throws IOException {
    Path file = dir.resolve(name);
    assertTrue(ImageIO.write(image, format, file.toFile()));
    return file;
  }

  private static String formatOf(Path file) throws IOException {
    try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = ImageIO.getImageReaders(input).next();
      return reader.getFormatName();
    }
  }

  /** The share of pixels in {@code area} where some channel differs by more than {@code slack}. */
  private static double share(BufferedImage a, BufferedImage b, Rectangle area, int slack) {
    int differing = 0;
    for (int y = area.y; y < area.y + area.height; y++) {
      for (int x = area.x; x < area.x + area.width; x++) {
        if (maxChannelDifference(a.getRGB(x, y), b.getRGB(x, y)) > slack) {
          differing++;
        }
      }
    }
    return (double) differing / (area.width * area.height);
  }

  private static int maxChannelDifference(int p, int q) {
    int max = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      max = Math.max(max, Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF)));
    }
    return max;
  }
}
