package dev.gantry.toolkit.image.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ContainerBuildPlan;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.gantry.toolkit.image.ImageLayout;
import dev.gantry.toolkit.image.RegistryAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Jib plan of a Java application image: layers, command, user, ports, fixed times; no registry needed. */
class JavaAppImageTest {
  @TempDir
  Path temp;
  JavaAppImage image;

  @BeforeEach
  void jars() throws Exception {
    Path lib = Files.createDirectories(temp.resolve("lib"));
    // Written out of order: the layer must not follow the file system's order.
    for (String name : List.of("zeta-1.jar", "alpha-2.jar", "mid-3.jar", "notes.txt")) {
      Files.writeString(lib.resolve(name), name);
    }
    Files.writeString(temp.resolve("app.jar"), "app");
    image = new JavaAppImage(temp.resolve("app.jar"), lib, "dev.example.Main", "demo", List.of("-Xmx64m", "-Xss256k"),
        List.of("run", "/x"), List.of(8080, 9090), Map.of("b", "2", "a", "1"));
  }

  @Test
  void planHasSortedLayersUnderTheAppFolderAndAFixedCommand() throws Exception {
    ContainerBuildPlan plan = image.plan(ProductImages.DEFAULT_BASE, RegistryAccess.defaults(), temp.resolve("work")).toContainerBuildPlan();

    assertThat(plan.getBaseImage()).isEqualTo(ProductImages.DEFAULT_BASE);
    List<FileEntriesLayer> layers = plan.getLayers().stream().map(FileEntriesLayer.class::cast).toList();
    assertThat(layers).extracting(FileEntriesLayer::getName).containsExactly("libraries", "application");
    assertThat(layers.get(0).getEntries()).extracting(e -> e.getExtractionPath().toString()).containsExactly(
        "/gantry/app/lib/alpha-2.jar", "/gantry/app/lib/mid-3.jar", "/gantry/app/lib/zeta-1.jar", "/usr/local/bin/demo");
    assertThat(layers.get(1).getEntries()).extracting(e -> e.getExtractionPath().toString())
        .containsExactly(ImageLayout.APP_DIR + "/app.jar");
    for (FileEntriesLayer layer : layers) {
      assertThat(layer.getEntries()).extracting(FileEntry::getModificationTime).containsOnly(JavaAppImage.FILE_TIME);
    }
    assertThat(layers.get(0).getEntries().get(3).getPermissions().toOctalString()).isEqualTo("755");
    assertThat(layers.get(0).getEntries().get(0).getPermissions().toOctalString()).isEqualTo("644");

    assertThat(plan.getEntrypoint()).containsExactly("java", "-Xmx64m", "-Xss256k", "-cp",
        "/gantry/app/app.jar:/gantry/app/lib/*", "dev.example.Main");
    assertThat(plan.getCmd()).containsExactly("run", "/x");
    assertThat(plan.getUser()).isEqualTo(ImageLayout.USER);
    assertThat(plan.getExposedPorts()).containsExactlyInAnyOrder(Port.tcp(8080), Port.tcp(9090));
    assertThat(plan.getCreationTime()).isEqualTo(Instant.EPOCH);
    assertThat(plan.getLabels()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @Test
  void launcherRunsTheSameCommandWithReplaceableJvmOptions() {
    assertThat(image.launcherScript()).startsWith("#!/bin/sh\n").endsWith(
        "exec java ${JAVA_OPTS:--Xmx64m -Xss256k} -cp '/gantry/app/app.jar:/gantry/app/lib/*' dev.example.Main \"$@\"\n");
  }

  @Test
  void sameJarsGiveTheSameImage() throws Exception {
    String first = buildToTar("one");
    String second = buildToTar("two");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void missingBuildOutputIsNamed() {
    JavaAppImage unbuilt = new JavaAppImage(temp.resolve("none.jar"), temp.resolve("nolib"), "M", "m", List.of(),
        List.of(), List.of(), Map.of());
    assertThatThrownBy(() -> unbuilt.plan(ProductImages.DEFAULT_BASE, RegistryAccess.defaults(), temp.resolve("w")))
        .hasMessageContaining("nolib: no such folder of library jars");
    assertThatThrownBy(() -> unbuilt.push(ProductImages.DEFAULT_BASE, "127.0.0.1:1/x:1", RegistryAccess.of(true, null, Map.of()), temp.resolve("w")))
        .isInstanceOf(ImageBuildException.class).hasMessageContaining("cannot build 127.0.0.1:1/x:1");
  }

  @Test
  void productImagesUseTheContract() {
    JavaAppImage runtime = ProductImages.runtime(Path.of(".."), "1.0");
    assertThat(runtime.mainClass()).isEqualTo("dev.gantry.runtime.server.GatewayMain");
    assertThat(runtime.defaultArgs()).containsExactly(ImageLayout.BUNDLE_DIR, "--secrets-dir", ImageLayout.SECRETS_DIR,
        "--drain-delay", "5"); // a pod keeps serving while its Service lets go of it
    assertThat(runtime.ports()).containsExactly(ImageLayout.TRAFFIC_PORT, ImageLayout.MANAGEMENT_PORT);
    assertThat(ProductImages.toolkit(Path.of(".."), "1.0").launcher()).isEqualTo("gantry");
    assertThat(ProductImages.runtimeRef("r:5000", "1.0")).isEqualTo("r:5000/gantry/runtime:1.0");
    assertThat(ProductImages.toolkitRef("r:5000", "1.0")).isEqualTo("r:5000/gantry/toolkit:1.0");
  }

  /** Builds from scratch into a tar (no registry, no base pull) and returns the image id. */
  private String buildToTar(String name) throws Exception {
    JibContainerBuilder plan = image.plan(ProductImages.DEFAULT_BASE, RegistryAccess.defaults(), temp.resolve("work-" + name));
    JibContainerBuilder scratch = Jib.fromScratch();
    ContainerBuildPlan p = plan.toContainerBuildPlan();
    scratch.setFileEntriesLayers(p.getLayers().stream().map(FileEntriesLayer.class::cast).toList())
        .setEntrypoint(p.getEntrypoint()).setProgramArguments(p.getCmd()).setLabels(p.getLabels())
        .setUser(p.getUser()).setExposedPorts(p.getExposedPorts()).setCreationTime(p.getCreationTime());
    return scratch.containerize(Containerizer.to(TarImage.at(temp.resolve(name + ".tar")).named("demo:1"))
        .setApplicationLayersCache(temp.resolve("cache-" + name))).getImageId().toString();
  }
}
