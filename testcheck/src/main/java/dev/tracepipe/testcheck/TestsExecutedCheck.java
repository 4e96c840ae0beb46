package dev.tracepipe.testcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when a compiled test class of the module was run by neither Surefire nor Failsafe, so that a class
 * whose name matches no include pattern (say {@code FooProperties}) cannot be skipped silently. The parent pom runs it
 * in every module's verify phase, after both plugins have written their reports.
 */
class TestsExecutedCheck {
  /** Annotations that make a method a test for JUnit Jupiter or jqwik. */
  static final Set<String> TEST_ANNOTATIONS = Set.of(
      "org.junit.jupiter.api.Test", "org.junit.jupiter.params.ParameterizedTest",
      "org.junit.jupiter.api.RepeatedTest", "org.junit.jupiter.api.TestFactory",
      "org.junit.jupiter.api.TestTemplate", "net.jqwik.api.Property", "net.jqwik.api.Example");

  @Test
  void everyTestClassWasExecuted() throws IOException {
    // A run narrowed with -Dtest or -Dit.test executes some classes on purpose; only a full run is checked.
    assumeTrue(unset("tests-executed.test") && unset("tests-executed.it.test"), "tests were filtered");
    Path module = Path.of(System.getProperty("tests-executed.basedir", "."));
    Path classes = module.resolve("target/test-classes");
    Set<String> withTests = testClasses(classes);
    Set<String> executed = new TreeSet<>();
    executed.addAll(reported(module.resolve("target/surefire-reports")));
    executed.addAll(reported(module.resolve("target/failsafe-reports")));
    Set<String> missing = new TreeSet<>(withTests);
    missing.removeAll(executed);
    assertTrue(missing.isEmpty(), () -> "test classes that neither Surefire nor Failsafe executed: " + missing
        + "; name unit tests *Test and integration tests *IT (or add the pattern to the parent pom's includes)");
  }

  private static boolean unset(String property) {
    String value = System.getProperty(property, "");
    return value.isBlank() || value.startsWith("${");
  }

  /** Top-level classes under {@code dir} that declare (or whose nested classes declare) a test method. */
  static Set<String> testClasses(Path dir) throws IOException {
    Set<String> result = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return result;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
        String name = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
        name = name.substring(0, name.length() - ".class".length());
        if (hasTests(name)) {
          int nested = name.indexOf('$');
          result.add(nested < 0 ? name : name.substring(0, nested));
        }
      }
    }
    return result;
  }

  private static boolean hasTests(String className) {
    Class<?> type;
    try {
      type = Class.forName(className, false, TestsExecutedCheck.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("cannot inspect test class " + className, e);
    }
    if (Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
      return false;
    }
    for (Method method : type.getDeclaredMethods()) {
      for (Annotation annotation : method.getAnnotations()) {
        if (TEST_ANNOTATIONS.contains(annotation.annotationType().getName())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Classes with a report file ({@code TEST-<class>.xml}), nested classes counted as their top-level class. */
  static Set<String> reported(Path reports) throws IOException {
    Set<String> result = new TreeSet<>();
    if (!Files.isDirectory(reports)) {
      return result;
    }
    try (Stream<Path> files = Files.list(reports)) {
      files.map(f -> f.getFileName().toString())
          .filter(f -> f.startsWith("TEST-") && f.endsWith(".xml"))
          .map(f -> f.substring("TEST-".length(), f.length() - ".xml".length()))
          .map(c -> c.indexOf('$') < 0 ? c : c.substring(0, c.indexOf('$')))
          .forEach(result::add);
    }
    return result;
  }
}
