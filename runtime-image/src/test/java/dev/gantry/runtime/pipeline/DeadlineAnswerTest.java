package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class DeadlineAnswerTest {

  @Test
  void aResetStreamIsCountedWithItsDeadlinesStatusOnlyWhenItHadNoAnswerOfItsOwn() {
    EmbeddedChannel connection = new EmbeddedChannel();
    DeadlineAnswer.recordStream(connection, 3, 408);
    DeadlineAnswer.recordStream(connection, 5, 408);

    assertThat(DeadlineAnswer.streamStatus(connection, 3, 0)).isEqualTo(408);
    assertThat(DeadlineAnswer.streamStatus(connection, 5, 200)).as("the upstream's answer came first").isEqualTo(200);
    assertThat(DeadlineAnswer.streamStatus(connection, 7, 0)).as("nothing recorded: the client went away").isZero();
    connection.finishAndReleaseAll();
  }

  @Test
  void aStreamsRecordGoesWhenItEndsWhateverItsStatus() {
    // A stream reset for its stalled body after the upstream's headers came ends with the
    // upstream's status; its record must not stay on the connection until the connection closes.
    EmbeddedChannel connection = new EmbeddedChannel();
    for (int stream = 1; stream < 200; stream += 2) {
      DeadlineAnswer.recordStream(connection, stream, 408);
      DeadlineAnswer.streamStatus(connection, stream, 200);
    }
    assertThat(DeadlineAnswer.recordedStreams(connection)).isZero();
    connection.finishAndReleaseAll();
  }
}
