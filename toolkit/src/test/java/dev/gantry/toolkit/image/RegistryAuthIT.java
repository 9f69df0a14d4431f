package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.toolkit.image.testing.LocalRegistry;
import dev.gantry.toolkit.image.testing.TestImages;
import dev.gantry.toolkit.resolve.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry behind htpasswd basic auth, with credentials from a docker config.json. */
class RegistryAuthIT {
  private static final String USER = "gantry";
  private static final String PASSWORD = "correct-horse";
  private static LocalRegistry registry;
  private static String runtime;

  @TempDir
  Path temp;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.startWithBasicAuth(USER, PASSWORD);
    runtime = TestImages.pushRuntimeStandIn(registry, "gantry/runtime", "0.1.0", USER, PASSWORD);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private ImagePipeline.Request request() {
    return new ImagePipeline.Request(ImageName.Target.parse(registry.host()), runtime, false);
  }

  @Test
  void credentialsFromDockerConfigAuthsBuildAndPush() throws Exception {
    Path config = registry.writeDockerConfig(temp.resolve("docker"), USER, PASSWORD);
    RegistryAccess access = RegistryAccess.of(true, config, Map.of());

    ImagePipeline.Result result = ImagePipelineIT.pipeline(access)
        .run(ImagePipelineIT.petstore(Fixtures.SAMPLE_RESOURCES, "auth-1"), request(), line -> { });

    assertThat(result.outcome()).isEqualTo(ImagePipeline.Outcome.BUILT);
    assertThat(registry.manifestDigest("petstore", "auth-1")).isEqualTo(result.manifestDigest());
    assertThat(new JibRegistry(access).lookup(result.image().reference()))
        .isInstanceOf(Registry.Present.class);
  }

  @Test
  void wrongCredentialsAreARegistryErrorNamingRegistryAndConfigAndNothingIsBuilt() throws Exception {
    Path config = registry.writeDockerConfig(temp.resolve("docker"), USER, "wrong");
    RegistryAccess access = RegistryAccess.of(true, config, Map.of());
    List<String> builds = new ArrayList<>();
    ImagePipeline pipeline = new ImagePipeline(new JibRegistry(access), (request, progress) -> {
      builds.add(request.target().toString());
      throw new AssertionError("must not build");
    });
    int manifests = registry.manifestPuts();

    assertThatThrownBy(() -> pipeline.run(ImagePipelineIT.petstore(Fixtures.SAMPLE_RESOURCES, "auth-2"), request(), l -> { }))
        .isInstanceOf(RegistryAccessException.class)
        .hasMessage("registry " + registry.host() + " refused access to " + registry.host() + "/petstore:auth-2"
            + " with the credentials from " + config + ": 401 Unauthorized");
    assertThat(builds).isEmpty();
    assertThat(registry.manifestPuts()).isEqualTo(manifests);
  }

  @Test
  void noCredentialsAtAllIsAnErrorTooNotAbsent() {
    RegistryAccess access = RegistryAccess.of(true, null, Map.of("DOCKER_CONFIG", temp.toString()));

    assertThatThrownBy(() -> new JibRegistry(access).lookup(ImageName.of(registry.host(), "petstore", "v9").reference()))
        .isInstanceOf(RegistryAccessException.class)
        .hasMessageStartingWith("registry " + registry.host() + " refused access to " + registry.host()
            + "/petstore:v9 without credentials");
  }
}
