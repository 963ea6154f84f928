package tributary;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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

  @BeforeAll
  static void importMain() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("tributary", "verticles");
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
}
