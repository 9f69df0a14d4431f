package dev.gantry.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferenceIndexTest {
  final ReferenceIndex index = new ReferenceIndex();
  final ResourceID pets = new ResourceID("pets", "a");
  final ResourceID shop = new ResourceID("shop", "a");

  @Test
  void findsTheApisThatReferenceAResourceAndForgetsReplacedReferences() {
    index.record(pets, Set.of(new ReferenceIndex.Key("RateLimit", "a", "standard")), Set.of());
    index.record(shop, Set.of(new ReferenceIndex.Key("RateLimit", "a", "standard"),
        new ReferenceIndex.Key("Endpoint", "a", "orders")), Set.of());
    assertThat(index.apisReferencing("RateLimit", "a", "standard")).containsExactlyInAnyOrder(pets, shop);
    assertThat(index.apisReferencing("RateLimit", "b", "standard")).isEmpty();

    index.record(shop, Set.of(new ReferenceIndex.Key("Endpoint", "a", "orders")), Set.of());
    assertThat(index.apisReferencing("RateLimit", "a", "standard")).containsExactly(pets);
    assertThat(index.apisReferencing("Endpoint", "a", "orders")).containsExactly(shop);
  }

  @Test
  void aFailingApiIsWokenByAnyResourceOfItsKindsInItsNamespace() {
    index.record(pets, Set.of(), Set.of("Endpoint", "Secret"));
    assertThat(index.apisReferencing("Endpoint", "a", "anything")).containsExactly(pets);
    assertThat(index.apisReferencing("Endpoint", "b", "anything")).isEmpty();
    assertThat(index.apisReferencing("ConfigMap", "a", "anything")).isEmpty();

    index.record(pets, Set.of(), Set.of());
    assertThat(index.apisReferencing("Endpoint", "a", "anything")).isEmpty();
  }
}
