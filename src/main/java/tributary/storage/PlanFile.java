package tributary.storage;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import tributary.fault.Refusal;

/**
 * A storage node's task plan file (S7, the seed's file dispatch): the items planned for one node,
 * grouped by plan with its parameters and execution window, as the server hands them out and as
 * the node sends them back, each item marked started, done, failed or unsupported with its times
 * and message. Written and read here only, always against {@code storage/task-plan.xsd}; reading
 * refuses DOCTYPEs, so no external entity or DTD is ever fetched (XXE).
 */
public record PlanFile(String node, long generatedAt, List<Plan> plans) {
  public static final String NAMESPACE = "urn:tributary:task-plan:1";
  public static final String SCHEMA = "storage/task-plan.xsd";
  /** The error code of a file refused: malformed, against the schema, or naming what it may not. */
  public static final String INVALID = "invalid_plan_file";
  private static final Schema COMPILED = compile();
  /** The longest {@code <message>} the schema takes. */
  static final int MAX_MESSAGE = 2000;

  /** One plan: its parameters, its window (epoch ms, null for an open end) and its items for this node. */
  public record Plan(String id, TaskKind kind, JsonObject params, Long notBefore, Long notAfter, List<Item> items) {
    /** Whether the window has closed at {@code now}: an item not begun by then is not begun at all. */
    public boolean closedAt(long now) {
      return notAfter != null && now >= notAfter;
    }
  }

  /** One item and its mark; {@code state} is planned until the node marks it. */
  public record Item(long id, TaskKind kind, String blob, long bytes, int priority, String source, String state,
                     Long startedAt, Long finishedAt, String output, String message) {
    public Item started(long at) {
      return new Item(id, kind, blob, bytes, priority, source, TaskStore.STARTED, at, null, null, null);
    }

    public Item finished(String endState, String why, String made, long at) {
      return new Item(id, kind, blob, bytes, priority, source, endState, startedAt, at, made, why);
    }
  }

  public PlanFile {
    plans = List.copyOf(plans);
  }

  /** The file with the items of {@code marks} (by item id) in place of the ones it has. */
  public PlanFile marked(Map<Long, Item> marks) {
    List<Plan> out = new ArrayList<>();
    for (Plan p : plans) {
      out.add(new Plan(p.id(), p.kind(), p.params(), p.notBefore(), p.notAfter(),
          p.items().stream().map(i -> marks.getOrDefault(i.id(), i)).toList()));
    }
    return new PlanFile(node, generatedAt, out);
  }

  // ---- writing

  public String toXml() {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      w.writeStartDocument("UTF-8", "1.0");
      w.writeStartElement("taskPlans");
      w.writeDefaultNamespace(NAMESPACE);
      w.writeAttribute("node", node);
      w.writeAttribute("generatedAt", Long.toString(generatedAt));
      for (Plan p : plans) {
        w.writeStartElement("plan");
        w.writeAttribute("id", p.id());
        w.writeAttribute("kind", p.kind().id());
        optional(w, "notBefore", p.notBefore());
        optional(w, "notAfter", p.notAfter());
        for (Map.Entry<String, Object> param : p.params()) {
          w.writeStartElement("param");
          w.writeAttribute("name", param.getKey());
          if (param.getValue() instanceof String text) {
            w.writeCharacters(text);
          } else {
            w.writeAttribute("json", "true");
            w.writeCharacters(Json.encode(param.getValue()));
          }
          w.writeEndElement();
        }
        for (Item i : p.items()) {
          writeItem(w, i);
        }
        w.writeEndElement();
      }
      w.writeEndElement();
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("plan file not written", e);
    }
    return out.toString();
  }

  private static void writeItem(XMLStreamWriter w, Item i) throws XMLStreamException {
    w.writeStartElement("item");
    w.writeAttribute("id", Long.toString(i.id()));
    w.writeAttribute("kind", i.kind().id());
    w.writeAttribute("blob", i.blob());
    w.writeAttribute("bytes", Long.toString(i.bytes()));
    w.writeAttribute("priority", Integer.toString(i.priority()));
    optional(w, "source", i.source());
    w.writeAttribute("state", i.state());
    optional(w, "startedAt", i.startedAt());
    optional(w, "finishedAt", i.finishedAt());
    optional(w, "output", i.output());
    if (i.message() != null) {
      // the schema bounds a message, so a long error (ffmpeg's stderr tail) is cut to fit rather than refused
      w.writeStartElement("message");
      w.writeCharacters(i.message().length() > MAX_MESSAGE ? i.message().substring(0, MAX_MESSAGE) : i.message());
      w.writeEndElement();
    }
    w.writeEndElement();
  }

  private static void optional(XMLStreamWriter w, String name, Object value) throws XMLStreamException {
    if (value != null) {
      w.writeAttribute(name, value.toString());
    }
  }

  // ---- reading

  /**
   * The file in {@code xml}, validated against the schema; a 400 {@value #INVALID} refusal naming
   * the problem when it is malformed, has a DOCTYPE, or fails the schema.
   */
  public static PlanFile parse(String xml) {
    Document doc;
    try {
      doc = secureBuilder().parse(new InputSource(new StringReader(xml)));
      Validator validator = COMPILED.newValidator();
      validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      validator.validate(new DOMSource(doc));
    } catch (SAXException e) {
      throw refused(e.getMessage());
    } catch (IOException e) {
      throw refused("unreadable: " + e.getMessage());
    }
    Element root = doc.getDocumentElement();
    List<Plan> plans = new ArrayList<>();
    for (Element p : children(root, "plan")) {
      JsonObject params = new JsonObject();
      List<Item> items = new ArrayList<>();
      for (Element param : children(p, "param")) {
        String text = param.getTextContent();
        params.put(param.getAttribute("name"), Boolean.parseBoolean(param.getAttribute("json")) ? json(text) : text);
      }
      for (Element i : children(p, "item")) {
        List<Element> message = children(i, "message");
        items.add(new Item(Long.parseLong(i.getAttribute("id")), TaskKind.parse(i.getAttribute("kind")),
            i.getAttribute("blob"), Long.parseLong(i.getAttribute("bytes")), Integer.parseInt(i.getAttribute("priority")),
            text(i, "source"), i.getAttribute("state"), millis(i, "startedAt"), millis(i, "finishedAt"),
            text(i, "output"), message.isEmpty() ? null : message.get(0).getTextContent()));
      }
      plans.add(new Plan(p.getAttribute("id"), TaskKind.parse(p.getAttribute("kind")), params,
          millis(p, "notBefore"), millis(p, "notAfter"), items));
    }
    return new PlanFile(root.getAttribute("node"), Long.parseLong(root.getAttribute("generatedAt")), plans);
  }

  private static Refusal refused(String why) {
    return new Refusal(400, INVALID, "the plan file is not valid: " + why);
  }

  private static Object json(String text) {
    try {
      return Json.decodeValue(text);
    } catch (RuntimeException e) {
      throw refused("a param marked json=\"true\" is not JSON: " + e.getMessage());
    }
  }

  private static String text(Element e, String attribute) {
    return e.hasAttribute(attribute) ? e.getAttribute(attribute) : null;
  }

  private static Long millis(Element e, String attribute) {
    return e.hasAttribute(attribute) ? Long.valueOf(e.getAttribute(attribute)) : null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && name.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  /** A namespace-aware parser that refuses any DOCTYPE and never fetches or expands anything external. */
  private static DocumentBuilder secureBuilder() {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder builder = f.newDocumentBuilder();
      // the default handler prints parse errors to stderr before throwing them
      builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
        @Override
        public void error(org.xml.sax.SAXParseException e) throws SAXException {
          throw e;
        }
      });
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a security feature", e);
    }
  }

  private static Schema compile() {
    URL xsd = PlanFile.class.getClassLoader().getResource(SCHEMA);
    if (xsd == null) {
      throw new IllegalStateException(SCHEMA + " is not on the classpath");
    }
    try {
      SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      return f.newSchema(xsd);
    } catch (SAXException e) {
      throw new IllegalStateException(SCHEMA + " does not compile", e);
    }
  }
}
