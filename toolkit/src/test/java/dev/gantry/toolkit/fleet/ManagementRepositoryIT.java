package dev.gantry.toolkit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.toolkit.bundle.Bundle;
import dev.gantry.toolkit.fleet.testing.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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
  void gatewaysHearOfAChangeToTheirEnvironmentAtOnce() throws Exception {
    try (Connection listener = repository.connect()) {
      listener.createStatement().execute("LISTEN " + ManagementRepository.CHANNEL);
      repository.publish("qa", "pets", "v2", bundle("qa"), "upstreams: {}\n".getBytes(StandardCharsets.UTF_8),
          GatewaySelector.EVERY_FLEET, ApiState.STARTED);
      PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(5000);
      assertThat(notifications).extracting(PGNotification::getParameter).contains("qa");
    }
  }

  @Test
  void anApiPublishedByOneOwnerIsRefusedToAnotherAndRemovedOnlyByItsOwner() throws Exception {
    byte[] settings = "upstreams: {}\n".getBytes(StandardCharsets.UTF_8);
    String eu = "cluster-eu/shop/cart";
    String us = "cluster-us/shop/cart";
    PublishedApi first = repository.publish("own", "cart", "v1", bundle("eu"), settings, GatewaySelector.EVERY_FLEET,
        ApiState.STARTED, eu);
    assertThat(first.owner()).isEqualTo(eu);

    assertThatThrownBy(() -> repository.publish("own", "cart", "v9", bundle("us"), settings,
        GatewaySelector.EVERY_FLEET, ApiState.STARTED, us))
        .isInstanceOf(PublishedElsewhereException.class).hasMessageContaining("cart").hasMessageContaining(eu)
        .hasMessageContaining("environment own");
    assertThatThrownBy(() -> repository.setState("own", "cart", ApiState.STOPPED, us))
        .isInstanceOf(PublishedElsewhereException.class);
    assertThatThrownBy(() -> repository.remove("own", "cart", us)).isInstanceOf(PublishedElsewhereException.class);
    assertThat(repository.apis("own")).singleElement().satisfies(a -> {
      assertThat(a.version()).isEqualTo("v1"); // nothing of the refused calls landed
      assertThat(a.bundleDigest()).isEqualTo(bundle("eu").digest());
      assertThat(a.state()).isEqualTo(ApiState.STARTED);
    });

    // The same owner again changes nothing; an ownerless copy (by hand) is taken over by the first owner to publish.
    assertThat(repository.publish("own", "cart", "v1", bundle("eu"), settings, GatewaySelector.EVERY_FLEET,
        ApiState.STARTED, eu).revision()).isEqualTo(first.revision());
    repository.publish("own", "byhand", "v1", bundle("hand"), settings, GatewaySelector.EVERY_FLEET, ApiState.STARTED);
    assertThat(repository.publish("own", "byhand", "v1", bundle("hand"), settings, GatewaySelector.EVERY_FLEET,
        ApiState.STARTED, us).owner()).isEqualTo(us);

    assertThat(repository.remove("own", "cart", eu)).map(PublishedApi::version).contains("v1");
    assertThat(repository.remove("own", "cart", eu)).isEmpty();
    assertThat(repository.apis("own")).extracting(PublishedApi::name).containsExactly("byhand");
    assertThat(repository.events("own", "cart")).extracting(DeploymentEvent::kind).containsExactly("PUBLISHED", "REMOVED");
  }

  @Test
  void selectorsSelectAsKubernetesLabelSelectorsDo() throws Exception {
    Map<String, String> eu = Map.of("zone", "eu", "tier", "shared");
    Map<String, String> us = Map.of("zone", "us", "tier", "shared");
    assertThat(repository.selects(GatewaySelector.parse("zone=eu"), eu)).isTrue();
    assertThat(repository.selects(GatewaySelector.parse("zone=eu"), us)).isFalse();
    assertThat(repository.selects(GatewaySelector.parse("zone=eu,tier=dedicated"), eu)).isFalse();
    assertThat(repository.selects(GatewaySelector.EVERY_FLEET, us)).isTrue();
    assertThat(repository.selects(requirement("zone", "In", "eu", "ap"), eu)).isTrue();
    assertThat(repository.selects(requirement("zone", "In", "eu", "ap"), us)).isFalse();
    assertThat(repository.selects(requirement("zone", "NotIn", "eu"), eu)).isFalse();
    assertThat(repository.selects(requirement("zone", "NotIn", "eu"), us)).isTrue();
    assertThat(repository.selects(requirement("canary", "NotIn", "yes"), us)).isTrue();
    assertThat(repository.selects(requirement("canary", "Exists"), eu)).isFalse();
    assertThat(repository.selects(requirement("zone", "Exists"), eu)).isTrue();
    assertThat(repository.selects(requirement("canary", "DoesNotExist"), eu)).isTrue();
    assertThat(repository.selects(requirement("zone", "Like", "eu"), eu)).isFalse();
  }

  static GatewaySelector requirement(String key, String operator, String... values) {
    return new GatewaySelector(null, List.of(new GatewaySelector.Requirement(key, operator, List.of(values))));
  }

  @Test
  void aMalformedSelectorNamesThePart() {
    assertThatThrownBy(() -> GatewaySelector.parse("zone=eu,tier")).hasMessageContaining("'tier'");
  }

  @Test
  void stoppingAnApiThatWasNeverPublishedNamesIt() {
    assertThatThrownBy(() -> repository.setState("dev", "ghost", ApiState.STOPPED))
        .isInstanceOf(RepositoryException.class).hasMessageContaining("ghost").hasMessageContaining("not published");
  }

  @Test
  void theCliStopsStartsAndShowsStatus() throws Exception {
    repository.publish("cli", "books", "v3", bundle("cli"), "upstreams: {}\n".getBytes(StandardCharsets.UTF_8),
        GatewaySelector.EVERY_FLEET, ApiState.STARTED);
    // Credentials in the URL here only because a test cannot set the process environment.
    String url = postgres.jdbcUrl() + "?user=" + LocalPostgres.USER + "&password=" + LocalPostgres.PASSWORD;
    assertThat(cli("fleet", "stop", "books", "--repository", url, "--environment", "cli")).isEqualTo("0:books: STOPPED\n");
    assertThat(repository.apis("cli")).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo(ApiState.STOPPED));
    assertThat(cli("fleet", "start", "books", "--repository", url, "--environment", "cli")).isEqualTo("0:books: STARTED\n");
    assertThat(cli("fleet", "status", "--repository", url, "--environment", "cli"))
        .startsWith("0:API").contains("books").contains("v3").contains("STARTED");
    assertThat(cli("fleet", "stop", "nothing", "--repository", url, "--environment", "cli"))
        .startsWith("3:").contains("nothing").contains("not published");
    repository.publish("cli", "orphan", "v1", bundle("orphan"), "upstreams: {}\n".getBytes(StandardCharsets.UTF_8),
        GatewaySelector.EVERY_FLEET, ApiState.STARTED, "gone-cluster/shop/orphan");
    assertThat(cli("fleet", "remove", "orphan", "--repository", url, "--environment", "cli"))
        .isEqualTo("0:orphan: removed (published by gone-cluster/shop/orphan)\n");
    assertThat(repository.apis("cli")).extracting(PublishedApi::name).containsExactly("books");
    assertThat(cli("fleet", "remove", "orphan", "--repository", url, "--environment", "cli"))
        .startsWith("3:").contains("orphan").contains("not published");
    assertThat(cli("fleet", "status", "--repository", "mysql://x", "--environment", "cli"))
        .startsWith("2:").contains("not a PostgreSQL JDBC URL");
  }

  /** Runs the gantry CLI; returns "EXIT:" and what it printed (stdout, then stderr). */
  static String cli(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    var commandLine = dev.gantry.toolkit.cli.GantryCli.commandLine();
    commandLine.setOut(new java.io.PrintWriter(out, true)).setErr(new java.io.PrintWriter(out, true));
    int exit = commandLine.execute(args);
    return exit + ":" + out;
  }

  @Test
  void anUnreachableRepositoryIsAnErrorNamingIt() {
    ManagementRepository nowhere = new ManagementRepository(new RepositoryAddress(
        "jdbc:postgresql://127.0.0.1:1/gantry", "u", "p"));
    assertThatThrownBy(() -> nowhere.apis("dev")).isInstanceOf(RepositoryException.class)
        .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/gantry").hasMessageNotContaining("p)");
  }
}
