package dev.gantry.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

  @Test
  void aConnectionClosedBeforeItWasRegisteredGivesItsSlotBack() {
    // Netty's acceptor closes a connection it cannot register with closeForcibly(), which never
    // completes the close future: only the sweep sees that it is gone.
    ConnectionLimits.Limit limit = new ConnectionLimits().limit(1, new ConnectionBounds(2, 0));
    NioSocketChannel failed = new NioSocketChannel(); // open, never registered
    EmbeddedChannel registered = new EmbeddedChannel();
    assertThat(limit.admit(failed)).isNotNull();
    ConnectionLimits.Admitted served = limit.admit(registered);
    assertThat(served).isNotNull();
    assertThat(limit.atBound()).isTrue();
    assertThat(limit.admit(new EmbeddedChannel())).as("over the bound").isNull();

    limit.sweepUnregistered();
    assertThat(limit.open()).as("still open, and the registered one counted by its close").isEqualTo(2);
    failed.unsafe().closeForcibly();
    limit.sweepUnregistered();
    assertThat(limit.open()).isEqualTo(1);
    assertThat(limit.atBound()).isFalse();

    limit.release(served);
    limit.release(served); // the close listener and a sweep may both see it go
    assertThat(limit.open()).isZero();
    registered.finishAndReleaseAll();
  }
}
