package tributary.storage.tasks;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Draws a visible text mark in the bottom-right corner of an image: semi-transparent white glyphs
 * with a dark outline, so it reads on light and dark pictures alike. The font size is a 24th of
 * the image width (at least 12 px), shrunk when the text would not fit across. The output keeps
 * the input's format, which is read from the content, never from the file name.
 */
public final class Watermark {
  static {
    // Worker threads of a server have no display; this must be set before AWT first loads.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final float TEXT_ALPHA = 0.6f;
  private static final float JPEG_QUALITY = 0.92f;
  private static final FontRenderContext ANTIALIASED = new FontRenderContext(null, true, true);

  private Watermark() {}

  public static void apply(Path in, Path out, String text) throws IOException {
    requireText(text);
    try (ImageInputStream input = ImageIO.createImageInputStream(in.toFile())) {
      Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
      if (readers == null || !readers.hasNext()) {
        throw new IllegalArgumentException("not an image: " + in);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        BufferedImage source = read(reader, in);
        ImageWriter writer = ImageIO.getImageWriter(reader);
        if (writer == null) {
          throw new IllegalArgumentException("cannot write " + reader.getFormatName() + " images");
        }
        try {
          BufferedImage marked = canvasFor(source, writer);
          draw(marked, text);
          write(marked, writer, reader.getFormatName(), out);
        } finally {
          writer.dispose();
        }
      } finally {
        reader.dispose();
      }
    }
  }

  /** Where {@link #apply} draws {@code text} on an image of this size, clipped to the image. */
  public static Rectangle markArea(int width, int height, String text) {
    requireText(text);
    Mark mark = layout(width, height, text);
    int pad = (int) Math.ceil(mark.strokeWidth()) + 1; // the outline and antialiasing spill over
    Rectangle area = mark.glyphs().getBounds();
    area.grow(pad, pad);
    return area.intersection(new Rectangle(0, 0, width, height));
  }

  private static void requireText(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("watermark text is empty");
    }
  }

  private static BufferedImage read(ImageReader reader, Path in) throws IOException {
    try {
      return reader.read(0);
    } catch (IIOException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "not an image: unreadable " + reader.getFormatName() + " " + in, e);
    }
  }

  /**
   * A drawable RGB copy of the source, with alpha only where the writer can store it: the JPEG
   * writer refuses ARGB, and indexed or grey images would snap the mark to their palette.
   */
  private static BufferedImage canvasFor(BufferedImage source, ImageWriter writer) {
    boolean keepAlpha =
        source.getColorModel().hasAlpha()
            && writer
                .getOriginatingProvider()
                .canEncodeImage(
                    ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_ARGB));
    int type = keepAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    BufferedImage canvas = new BufferedImage(source.getWidth(), source.getHeight(), type);
    Graphics2D g = canvas.createGraphics();
    try {
      if (!keepAlpha) {
        g.setColor(Color.WHITE); // transparent pixels flatten onto white, not black
        g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
      }
      g.drawImage(source, 0, 0, null);
    } finally {
      g.dispose();
    }
    return canvas;
  }

  private static void draw(BufferedImage image, String text) {
    Mark mark = layout(image.getWidth(), image.getHeight(), text);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, TEXT_ALPHA));
      g.setColor(Color.DARK_GRAY);
      g.setStroke(
          new BasicStroke(mark.strokeWidth(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.draw(mark.glyphs());
      g.setColor(Color.WHITE);
      g.fill(mark.glyphs());
    } finally {
      g.dispose();
    }
  }

  private static void write(BufferedImage image, ImageWriter writer, String format, Path out)
      throws IOException {
    ImageWriteParam param = writer.getDefaultWriteParam();
    if ("JPEG".equalsIgnoreCase(format)) {
      // The default quality (0.75) would visibly blur a photo that is only being marked.
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
    }
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out));
        ImageOutputStream output = ImageIO.createImageOutputStream(file)) {
      writer.setOutput(output);
      writer.write(null, new IIOImage(image, null, null), param);
    }
  }

  private static Mark layout(int width, int height, String text) {
    float size = Math.max(12f, width / 24f);
    TextLayout layout = new TextLayout(text, font(size), ANTIALIASED);
    double room = width - size; // half a font size of margin on each side
    if (layout.getBounds().getWidth() > room) {
      size = Math.max(1f, size * (float) (room / layout.getBounds().getWidth()));
      layout = new TextLayout(text, font(size), ANTIALIASED);
    }
    float margin = size / 2;
    Rectangle2D bounds = layout.getBounds();
    double x = width - margin - bounds.getMaxX();
    double y = height - margin - bounds.getMaxY();
    Shape glyphs = layout.getOutline(AffineTransform.getTranslateInstance(x, y));
    return new Mark(glyphs, Math.max(1f, size / 12));
  }

  private static Font font(float size) {
    return new Font(Font.SANS_SERIF, Font.BOLD, 1).deriveFont(size);
  }

  private record Mark(Shape glyphs, float strokeWidth) {}
}
