package dev.gantry.toolkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.fleet.testing.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The repository on a real PostgreSQL: schema by Flyway, publish/start/stop, events, NOTIFY, registration. */
class ManagementRepositoryIT {
  static LocalPostgres postgres;
  static ManagementRepository repository;

  @BeforeAll
  static void start() throws Exception {
    postgres = LocalPostgres.start();
    repository = new ManagementRepository(new RepositoryAddress(postgres.jdbcUrl(), LocalPostgres.USER,
        LocalPostgres.PASSWORD));
    repository.migrate();
    repository.migrate(); // a second process starting later finds the schema in place
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  static Bundle bundle(String marker) {
    return new Bundle(new TreeMap<>(Map.of("bundle.yaml", ("api: x\nmarker: " + marker + "\n").getBytes(StandardCharsets.UTF_8),
        "openapi/api.yaml", "openapi: 3.0.3\n".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void publishIsIdempotentAndEveryChangeIsAnEventWithANewRevision() throws Exception {
    byte[] settings = "upstreams: {}\n".getBytes(StandardCharsets.UTF_8);
    PublishedApi first = repository.publish("dev", "orders", "v1", bundle("1"), settings, GatewaySelector.parse("zone=eu"),
        ApiState.STARTED);
    PublishedApi again = repository.publish("dev", "orders", "v1", bundle("1"), settings, GatewaySelector.parse("zone=eu"),
        ApiState.STARTED);
    assertThat(again.revision()).isEqualTo(first.revision());

    PublishedApi updated = repository.publish("dev", "orders", "v1", bundle("2"), settings,
        GatewaySelector.parse("zone=eu"), ApiState.STARTED);
    assertThat(updated.revision()).isGreaterThan(first.revision());
    assertThat(updated.bundleDigest()).isEqualTo(bundle("2").digest());

    PublishedApi stopped = repository.setState("dev", "orders", ApiState.STOPPED);
    assertThat(stopped.state()).isEqualTo(ApiState.STOPPED);
    assertThat(repository.apis("dev")).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(ApiState.STOPPED); // the definition stays
      assertThat(a.bundleDigest()).isEqualTo(bundle("2").digest());
    });
    repository.setState("dev", "orders", ApiState.STARTED);

    assertThat(repository.events("dev", "orders")).extracting(DeploymentEvent::kind)
        .containsExactly("PUBLISHED", "UPDATED", "STOPPED", "STARTED");
    assertThat(repository.apis("qa")).isEmpty(); // environments are separate
  }

  @Test
  void aGatewayGetsTheBundleBytesBackAndANotificationForItsEnvironment() throws Exception {
    try (Connection listener = repository.connect()) {
      listener.createStatement().execute("LISTEN " + ManagementRepository.CHANNEL);
      Bundle bundle = bundle("bytes");
      byte[] settings = "upstreams: {pets: [http://pets.qa:8080]}\n".getBytes(StandardCharsets.UTF_8);
      PublishedApi api = repository.publish("qa", "pets", "v2", bundle, settings, GatewaySelector.EVERY_FLEET,
          ApiState.STARTED);

      PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(5000);
      assertThat(notifications).extracting(PGNotification::getParameter).contains("qa");
      ApiRelease release = ManagementRepository.release(listener, api);
      assertThat(new Bundle(release.files()).digest()).isEqualTo(bundle.digest());
      assertThat(release.environmentYaml()).isEqualTo(settings);
    }
  }

  @Test
  void stoppingAnApiThatWasNeverPublishedNamesIt() {
    assertThatThrownBy(() -> repository.setState("dev", "ghost", ApiState.STOPPED))
        .isInstanceOf(RepositoryException.class).hasMessageContaining("ghost").hasMessageContaining("not published");
  }

  @Test
  void gatewaysRegisterAndRenew() throws Exception {
    Instant started = Instant.parse("2026-11-23T10:00:00Z");
    GatewayInstance gateway = new GatewayInstance("eu-1", "prod", "shared", "cluster-a", "eu", Map.of("zone", "eu"),
        List.of(new GatewayInstance.Endpoint("http", "http://10.0.0.1:8080")), "0.1.0", Map.of(), started, started);
    try (Connection c = repository.connect()) {
      ManagementRepository.register(c, gateway);
      ManagementRepository.register(c, new GatewayInstance("eu-1", "prod", "shared", "cluster-a", "eu",
          Map.of("zone", "eu"), gateway.endpoints(), "0.1.0", Map.of("pets", "sha256:abc"), started, started));
    }
    assertThat(repository.gateways("prod")).singleElement().satisfies(g -> {
      assertThat(g.loaded()).containsEntry("pets", "sha256:abc");
      assertThat(g.heartbeatAt()).isAfter(started);
      assertThat(g.endpoints()).extracting(GatewayInstance.Endpoint::uri).containsExactly("http://10.0.0.1:8080");
    });
  }

  @Test
  void anUnreachableRepositoryIsAnErrorNamingIt() {
    ManagementRepository nowhere = new ManagementRepository(new RepositoryAddress(
        "jdbc:postgresql://127.0.0.1:1/gantry", "u", "p"));
    assertThatThrownBy(() -> nowhere.apis("dev")).isInstanceOf(RepositoryException.class)
        .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/gantry").hasMessageNotContaining("p)");
  }
}
