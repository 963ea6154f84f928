package tributary;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tributary.http.HttpEndpoint;

/**
 * The rooms of issue 12, kept so. Layers from the top: the entry point (the root package
 * {@code tributary}: Main, Node, Codecs), which may use anything; {@code verticles}, which wire
 * features and are used by nothing else; {@code tributary.http}, the HTTP face; then the feature
 * packages, which must not depend on each other in a circle.
 */
class ArchitectureTest {
  private static JavaClasses main;

  /**
   * The classes the build compiled from src/main, read from their folder: importing the packages
   * by name scanned every jar of the test class path for them, 13 s of the suite.
   */
  @BeforeAll
  static void importMain() throws URISyntaxException {
    Path mainClasses = Path.of(Node.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPath(mainClasses);
  }

  /** One slice per top-level package under tributary, one for verticles, one for the root package. */
  private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass c) {
      String p = c.getPackageName();
      if (p.equals("tributary")) {
        return SliceIdentifier.of("tributary (entry point)");
      }
      if (p.startsWith("tributary.")) {
        String rest = p.substring("tributary.".length());
        int dot = rest.indexOf('.');
        return SliceIdentifier.of("tributary." + (dot < 0 ? rest : rest.substring(0, dot)));
      }
      if (p.equals("verticles") || p.startsWith("verticles.")) {
        return SliceIdentifier.of("verticles");
      }
      return SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "top-level packages of tributary and verticles";
    }
  };

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(main);
  }

  @Test
  void onlyTheEntryPointDependsOnVerticles() {
    noClasses().that().resideOutsideOfPackages("verticles..")
        .and().doNotHaveFullyQualifiedName("tributary.Node")
        .should().dependOnClassesThat().resideInAPackage("verticles..")
        .because("verticles wire the features; features never reach back into them, and only the entry point"
            + " (tributary.Node) deploys them, through verticles.NodeControl")
        .check(main);
  }

  @Test
  void nothingDependsOnTheEntryPoint() {
    noClasses().that().resideOutsideOfPackage("tributary")
        .should().dependOnClassesThat().resideInAPackage("tributary")
        .because("the root package is the entry point (Main, Node, Codecs); shared helpers live in packages named for them")
        .check(main);
  }

  /** vertx-web proper: the router and its handlers; the web client is a different library. */
  private static final DescribedPredicate<JavaClass> VERTX_WEB = new DescribedPredicate<>("vertx-web (router, handlers)") {
    @Override
    public boolean test(JavaClass c) {
      String p = c.getPackageName();
      return (p.equals("io.vertx.ext.web") || p.startsWith("io.vertx.ext.web."))
          && !p.startsWith("io.vertx.ext.web.client") && !p.startsWith("io.vertx.ext.web.codec");
    }
  };

  @Test
  void onlyTheHttpFaceUsesVertxWeb() {
    noClasses().that().resideOutsideOfPackage("tributary.http..")
        .and().doNotHaveFullyQualifiedName("verticles.ConsoleVerticle")
        .should().dependOnClassesThat(VERTX_WEB)
        .because("routes and handlers live in tributary.http; ConsoleVerticle only builds the router")
        .check(main);
  }

  @Test
  void everyApiClassIsAnHttpEndpointInTheHttpFace() {
    classes().that().haveSimpleNameEndingWith("Api").should().implement(HttpEndpoint.class)
        .andShould().resideInAPackage("tributary.http")
        .because("every area adds its routes through the one interface, and ConsoleVerticle only mounts them")
        .check(main);
  }

  @Test
  void storesUseNoHttpType() {
    noClasses().that().haveSimpleNameEndingWith("Store").or().resideInAPackage("..store..")
        .should().dependOnClassesThat().resideInAPackage("tributary.http..")
        .orShould().dependOnClassesThat(VERTX_WEB)
        .because("a store refuses with tributary.fault.Refusal, never an HTTP type")
        .check(main);
  }

  /**
   * The stores and readers whose answers depend on who asks (X3): records and their copies, channel
   * pages, rights and state, blobs, their copies and tasks, dispatched tasks and the workers users
   * are bound to. Their instance methods are what the rule below guards (a static helper such as a
   * parameter reader reads nothing). Not guarded: what every user sees of the cluster (storage
   * health and nodes), and what only administrators see (nodes, sinks, processors), behind the
   * administrator check of its routes, which is {@code Rights.administrator} too.
   */
  private static final Set<String> GUARDED_STORES = Set.of("tributary.store.RecordStore",
      "tributary.archive.RecordArchive", "tributary.query.ChannelReader", "tributary.query.ChannelInfo",
      "tributary.http.ChannelReads", "tributary.auth.ChannelAccessStore", "tributary.storage.BlobCatalog",
      "tributary.storage.BlobReader", "tributary.storage.TaskStore",
      "tributary.dispatch.DispatchStore", "tributary.dispatch.TopologyStore");
  private static final String RIGHTS = "tributary.http.Rights";
  private static final String CHANNEL_READS = "tributary.http.ChannelReads";
  private static final String ADD_ROUTES = "addRoutes";

  @Test
  void everyHttpHandlerThatReadsAGuardedStoreAsksRights() {
    classes().that().resideInAPackage("tributary.http")
        .and().doNotHaveFullyQualifiedName(RIGHTS).and().doNotHaveFullyQualifiedName(CHANNEL_READS)
        .should(new AskRightsBeforeReading(main.that(resideInAPackage("tributary.http"))))
        .because("one rights check (tributary.http.Rights) decides who reads what; a handler that reads a store"
            + " without it is a side door. ChannelReads reads only once the guard its caller hands it succeeds")
        .check(main);
  }

  /**
   * Every code unit of the HTTP face that calls a guarded store is behind {@code Rights}: it asks
   * Rights (calls or references a Rights member, or calls a code unit of the HTTP face that asks),
   * or every code unit that calls or references it is behind Rights (a helper used after the
   * check). {@code addRoutes} only registers routes and is never behind Rights, so a route handler,
   * which it references, asks Rights itself, and a read written inline in addRoutes fails.
   * Accesses inside lambdas count for the method that declares them.
   */
  private static final class AskRightsBeforeReading extends ArchCondition<JavaClass> {
    private final Set<JavaCodeUnit> behind = new HashSet<>();

    AskRightsBeforeReading(JavaClasses face) {
      super("call a guarded store only behind tributary.http.Rights");
      Set<JavaCodeUnit> units = new HashSet<>();
      face.forEach(c -> units.addAll(c.getCodeUnits()));
      units.removeIf(u -> u.getName().equals(ADD_ROUTES));
      Set<JavaCodeUnit> asks = new HashSet<>();
      for (boolean grew = true; grew; ) {
        grew = false;
        for (JavaCodeUnit u : units) {
          if (!asks.contains(u) && u.getAccessesFromSelf().stream().anyMatch(a -> a instanceof JavaCodeUnitAccess<?> c
              && (c.getTargetOwner().getName().equals(RIGHTS) || asks.stream().anyMatch(x -> isTarget(c, x))))) {
            asks.add(u);
            grew = true;
          }
        }
      }
      behind.addAll(asks);
      for (boolean grew = true; grew; ) {
        grew = false;
        for (JavaCodeUnit u : units) {
          Set<JavaCodeUnit> users = new HashSet<>();
          u.getAccessesToSelf().forEach(a -> users.add(a.getOrigin()));
          users.remove(u);
          if (!behind.contains(u) && !users.isEmpty() && behind.containsAll(users)) {
            behind.add(u);
            grew = true;
          }
        }
      }
    }

    @Override
    public void check(JavaClass c, ConditionEvents events) {
      for (JavaCodeUnit u : c.getCodeUnits()) {
        for (JavaMethodCall read : u.getMethodCallsFromSelf()) {
          if (GUARDED_STORES.contains(read.getTargetOwner().getName()) && !behind.contains(u)
              && read.getTarget().resolveMember().map(m -> !m.getModifiers().contains(JavaModifier.STATIC)).orElse(true)) {
            events.add(SimpleConditionEvent.violated(u, u.getFullName() + " calls " + read.getTarget().getFullName()
                + " without asking Rights (" + c.getSimpleName() + ".java:" + read.getLineNumber() + ")"));
          }
        }
      }
    }

    private static boolean isTarget(JavaCodeUnitAccess<?> access, JavaCodeUnit unit) {
      return access.getTargetOwner().equals(unit.getOwner()) && access.getTarget().getName().equals(unit.getName())
          && access.getTarget().getRawParameterTypes().equals(unit.getRawParameterTypes());
    }
  }
}
