package dev.gantry.toolkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RotatingClientTest {
  final AtomicInteger made = new AtomicInteger();
  final List<Integer> closed = new ArrayList<>();
  final RotatingClient<Integer> clients = new RotatingClient<>(made::incrementAndGet, closed::add, 2);

  @Test
  void aClientServesItsUsesThenIsReplacedAndClosedOnlyWhenItsLastUserIsDone() {
    var first = clients.lease();
    var second = clients.lease();
    assertThat(second.client()).isEqualTo(first.client()).isEqualTo(1);
    first.close();

    var third = clients.lease(); // the first client has had its two uses
    assertThat(third.client()).isEqualTo(2);
    assertThat(closed).isEmpty(); // "second" still uses client 1

    second.close();
    assertThat(closed).containsExactly(1);
    third.close();
    assertThat(closed).containsExactly(1); // client 2 is current: kept for the next lookups
  }

  @Test
  void aClientNobodyUsesIsClosedWhenReplaced() {
    clients.lease().close();
    clients.lease().close();
    clients.lease().close();
    assertThat(closed).containsExactly(1);
    assertThat(made).hasValue(2);
  }
}
