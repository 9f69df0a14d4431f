package dev.gantry.runtime.pipeline;

import dev.gantry.runtime.vertx.ConnectionChannel;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpServerRequest;

/**
 * An answer a connection's deadline gave below Vert.x, kept on the connection's channel so that the
 * request it ended is counted and access-logged with it, not as a client that went away (status 0):
 * the 408 of a stalled HTTP/1.x body, and for an HTTP/2 stream reset for a stalled body, 408 as well
 * (by stream; the client got RST_STREAM, the nearest HTTP status is the timeout's).
 */
public final class DeadlineAnswer {
  private static final AttributeKey<Integer> STATUS = AttributeKey.valueOf("gantry.deadlineAnswer");
  /** HTTP/2 stream id → status; on the connection's event loop only, like the streams themselves. */
  private static final AttributeKey<java.util.Map<Integer, Integer>> STREAMS =
      AttributeKey.valueOf("gantry.deadlineAnswer.streams");

  private DeadlineAnswer() {}

  /** Before the answer is written: the request then ends as its client having gone. */
  public static void record(Channel channel, int status) {
    channel.attr(STATUS).set(status);
  }

  /** Before an HTTP/2 stream is reset: the request on it then ends as its client having gone. On the event loop. */
  public static void recordStream(Channel channel, int streamId, int status) {
    java.util.Map<Integer, Integer> streams = channel.attr(STREAMS).get();
    if (streams == null) {
      channel.attr(STREAMS).set(streams = new java.util.HashMap<>());
    }
    streams.put(streamId, status);
  }

  /**
   * The status to count {@code request} with, once it ended: {@code outcome}, or if that is 0 (no
   * answer of its own) the status a deadline answered it with, or 0. An HTTP/2 stream's recorded
   * status is taken off its connection either way (a stream reset after its answer would otherwise
   * stay recorded until the connection closed).
   */
  static int status(HttpServerRequest request, int outcome) {
    boolean http2 = request.version() == io.vertx.core.http.HttpVersion.HTTP_2;
    Channel channel = outcome != 0 && !http2 ? null : ConnectionChannel.of(request);
    if (channel == null) {
      return outcome;
    }
    if (http2) {
      return streamStatus(channel, request.streamId(), outcome);
    }
    Integer status = channel.attr(STATUS).get();
    return outcome != 0 || status == null ? outcome : status;
  }

  /** {@link #status} of HTTP/2 stream {@code streamId} of {@code channel}, whose record it takes off. */
  static int streamStatus(Channel channel, int streamId, int outcome) {
    java.util.Map<Integer, Integer> streams = channel.attr(STREAMS).get();
    Integer status = streams == null ? null : streams.remove(streamId);
    return outcome != 0 || status == null ? outcome : status;
  }

  /** For tests: how many HTTP/2 streams of {@code channel} have a recorded status. */
  static int recordedStreams(Channel channel) {
    java.util.Map<Integer, Integer> streams = channel.attr(STREAMS).get();
    return streams == null ? 0 : streams.size();
  }
}
