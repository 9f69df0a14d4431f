package dev.gantry.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed CRD YAML (crds/generated/) must be exactly what the CRD generator makes of the Java types.
 * With {@code -Dgantry.crds.update=true} the test rewrites the committed files instead of failing.
 */
class CrdYamlIsCurrentTest {

  static final String REFRESH_COMMAND = "mvn -pl crds test -Dtest=CrdYamlIsCurrentTest -Dgantry.crds.update=true";
  static final String UPDATE_PROPERTY = "gantry.crds.update";

  /** The committed CRDs; surefire passes the absolute path, the fallback works from the module directory. */
  static Path committedDir() {
    return Paths.get(System.getProperty("gantry.crds.dir", "generated")).toAbsolutePath();
  }

  /** Generates the CRDs the same way the crd-generator-maven-plugin does (v1, no quote minimizing). */
  static void generate(Path dir) {
    List<Class<? extends HasMetadata>> kinds = new ArrayList<>(GantryResources.KINDS);
    int count = new CRDGenerator()
        .customResourceClasses(kinds)
        .forCRDVersions("v1")
        .withParallelGenerationEnabled(false)
        .inOutputDir(dir.toFile())
        .generate();
    assertThat(count).isEqualTo(GantryResources.KINDS.size());
  }

  static TreeSet<String> yamlFiles(Path dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).forEach(names::add);
      }
    }
    return names;
  }

  @Test
  void committedCrdsEqualFreshlyGeneratedOnes(@TempDir Path fresh) throws IOException {
    generate(fresh);
    Path committed = committedDir();
    TreeSet<String> expectedNames = yamlFiles(fresh);

    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(committed);
      for (String stale : yamlFiles(committed)) {
        if (!expectedNames.contains(stale)) {
          Files.delete(committed.resolve(stale));
        }
      }
      for (String name : expectedNames) {
        Files.copy(fresh.resolve(name), committed.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
      System.out.println("Rewrote " + expectedNames.size() + " CRD file(s) in " + committed);
      return;
    }

    String howToFix = "The committed CRD YAML in " + committed + " is out of date with the Java types. "
        + "Refresh it with: " + REFRESH_COMMAND + " and commit the result.";
    assertThat(yamlFiles(committed)).as(howToFix).isEqualTo(expectedNames);
    for (String name : expectedNames) {
      byte[] want = Files.readAllBytes(fresh.resolve(name));
      byte[] have = Files.readAllBytes(committed.resolve(name));
      assertThat(new String(have, StandardCharsets.UTF_8)).as(howToFix + " [" + name + "]")
          .isEqualTo(new String(want, StandardCharsets.UTF_8));
      assertThat(have).as(howToFix + " [" + name + "]").isEqualTo(want);
    }
  }

  /** The jar ships what crd-generator-maven-plugin wrote; it must be the same as the committed files. */
  @Test
  void crdsInTheJarEqualCommittedOnes() throws IOException {
    assumeFalse(Boolean.getBoolean(UPDATE_PROPERTY), "committed files are being rewritten");
    for (var kind : GantryResources.KINDS) {
      String resource = GantryResources.crdResource(kind);
      String name = resource.substring(resource.lastIndexOf('/') + 1);
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
        assertThat(in).as("class-path resource %s written by crd-generator-maven-plugin", resource).isNotNull();
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .as("plugin output %s differs from committed %s; refresh with: %s", resource, name, REFRESH_COMMAND)
            .isEqualTo(Files.readString(committedDir().resolve(name)));
      }
    }
  }
}
