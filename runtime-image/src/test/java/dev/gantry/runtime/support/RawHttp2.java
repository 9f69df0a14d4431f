package dev.gantry.runtime.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A bare HTTP/2 client (prior knowledge, plain text) over a blocking socket that sends header
 * fields exactly as given, including ones no conforming client sends (CR LF in a value,
 * connection-specific fields, upper-case names, a content-length the DATA does not match), to test
 * what the gateway lets through to an HTTP/1.1 upstream. Frames are written and read with Netty's
 * HTTP/2 codec classes with their validation off; nothing here is a hand-written HPACK. It also
 * sends the two well-known floods, rapid reset and CONTINUATION (raw frames: Netty's writer ends
 * every header block).
 */
public final class RawHttp2 implements Closeable {
  /**
   * What came back for one stream: status 0 if no response head, resetCode -1 if not reset,
   * timedOut when nothing ended the stream within the socket timeout (a hang).
   */
  public record Answer(int status, long resetCode, boolean goAway, boolean timedOut, String body) {
    /** Refused at once: a 4xx, a reset stream or a connection error; not a hang. */
    public boolean refused() {
      return !timedOut && ((status >= 400 && status < 500) || resetCode >= 0 || (goAway && status == 0));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter(Http2HeadersEncoder.NEVER_SENSITIVE, true);
  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false));
  private final ByteBuf inbound = Unpooled.buffer();
  private int nextStream = 1;

  public RawHttp2(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(3000); // the gateway answers at once or not at all: a hang is a failure
    in = socket.getInputStream();
    out = socket.getOutputStream();
    send(Http2CodecUtil.connectionPrefaceBuf());
    writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
    flush();
  }

  /**
   * Sends one request, header fields in the order given as name, value pairs (pseudo-header fields
   * first), then {@code body} as one DATA frame if not null, and waits for its answer.
   */
  public Answer exchange(List<String> fields, String body) throws IOException {
    Http2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < fields.size(); i += 2) {
      headers.add(fields.get(i), fields.get(i + 1));
    }
    int stream = nextStream;
    nextStream += 2;
    writer.writeHeaders(ctx, stream, headers, 0, body == null, ctx.newPromise());
    if (body != null) {
      writer.writeData(ctx, stream, Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1), 0, true, ctx.newPromise());
    }
    flush();
    return answer(stream);
  }

  /**
   * Sends the head of a request whose body never ends ({@code partBody}, if not null, goes as one
   * DATA frame without END_STREAM), reads the answer, then waits up to {@code lingerMillis} more
   * for the gateway to reset the stream: resetCode says how it did (-1: it left the stream open).
   */
  public Answer exchangeLeavingBodyOpen(List<String> fields, String partBody, int lingerMillis) throws IOException {
    Http2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < fields.size(); i += 2) {
      headers.add(fields.get(i), fields.get(i + 1));
    }
    int stream = nextStream;
    nextStream += 2;
    writer.writeHeaders(ctx, stream, headers, 0, false, ctx.newPromise());
    if (partBody != null) {
      writer.writeData(ctx, stream, Unpooled.copiedBuffer(partBody, StandardCharsets.ISO_8859_1), 0, false,
          ctx.newPromise());
    }
    flush();
    Answer answered = answer(stream, false);
    if (answered.resetCode() >= 0 || answered.timedOut()) {
      return answered;
    }
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(lingerMillis);
    try {
      Answer after = answer(stream, true);
      return new Answer(answered.status(), after.resetCode(), answered.goAway() || after.goAway(), false,
          answered.body());
    } finally {
      socket.setSoTimeout(timeout);
    }
  }

  /** How a flood ended: the GOAWAY's error code (-1 if none came), and whether the gateway closed the connection. */
  public record FloodEnd(long goAwayCode, boolean closed, boolean timedOut) {}

  /**
   * Rapid reset (CVE-2023-44487): {@code streams} requests, each cancelled (RST_STREAM CANCEL) as
   * soon as it is sent, written in batches of 50 without waiting; then reads until the gateway
   * ends the connection (or the socket timeout).
   */
  public FloodEnd rapidReset(List<String> fields, int streams) throws IOException {
    Http2Headers headers = new DefaultHttp2Headers(false);
    for (int i = 0; i < fields.size(); i += 2) {
      headers.add(fields.get(i), fields.get(i + 1));
    }
    try {
      for (int i = 0; i < streams; i++) {
        int stream = nextStream;
        nextStream += 2;
        writer.writeHeaders(ctx, stream, headers, 0, true, ctx.newPromise());
        writer.writeRstStream(ctx, stream, Http2Error.CANCEL.code(), ctx.newPromise());
        if (i % 50 == 49) {
          flush();
        }
      }
      flush();
    } catch (SocketException closedMidFlood) {
      return new FloodEnd(-1, true, false); // the gateway hung up while it was still being sent to
    }
    return end();
  }

  /**
   * CONTINUATION flood (2024's CVE-2024-27316 family): a HEADERS frame that never ends its header
   * block, then {@code frames} CONTINUATION frames of {@code bytes} each, which the server must
   * buffer until the block ends; then reads until the gateway ends the connection.
   */
  public FloodEnd continuationFlood(int frames, int bytes) throws IOException {
    int stream = nextStream;
    nextStream += 2;
    ByteBuf field = Unpooled.buffer(bytes);
    while (field.readableBytes() < bytes) {
      field.writeByte('a'); // never decoded: a header block is decoded only once it ends
    }
    try {
      rawFrame(0x1, 0x1, stream, field.duplicate()); // HEADERS, END_STREAM, no END_HEADERS
      for (int i = 0; i < frames; i++) {
        rawFrame(0x9, 0x0, stream, field.duplicate()); // CONTINUATION, still no END_HEADERS
      }
    } catch (SocketException closedMidFlood) {
      return new FloodEnd(-1, true, false);
    } finally {
      field.release();
    }
    return end();
  }

  /** One frame as its nine header bytes and payload (RFC 9113, 4.1), for frames Netty's writer will not make. */
  private void rawFrame(int type, int flags, int stream, ByteBuf payload) throws IOException {
    ByteBuf frame = Unpooled.buffer(9 + payload.readableBytes());
    frame.writeMedium(payload.readableBytes()).writeByte(type).writeByte(flags).writeInt(stream).writeBytes(payload);
    send(frame);
  }

  private FloodEnd end() throws IOException {
    var listener = new Http2FrameAdapter() {
      long goAwayCode = -1;

      @Override
      public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode, ByteBuf debugData) {
        goAwayCode = errorCode;
      }

      @Override
      public int onDataRead(ChannelHandlerContext c, int id, ByteBuf data, int padding, boolean end) {
        return data.readableBytes() + padding;
      }
    };
    byte[] buffer = new byte[16 * 1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        inbound.writeBytes(buffer, 0, n);
        reader.readFrame(ctx, inbound, listener);
        inbound.discardReadBytes();
      }
    } catch (SocketTimeoutException open) {
      return new FloodEnd(listener.goAwayCode, false, true);
    } catch (SocketException reset) {
      // closed with unread data on its side: still closed
    } catch (Http2Exception e) {
      throw new IOException("unreadable HTTP/2 from the gateway", e);
    }
    return new FloodEnd(listener.goAwayCode, true, false);
  }

  private Answer answer(int stream) throws IOException {
    return answer(stream, false);
  }

  /** Reads frames until {@code stream} ends (or, {@code resetOnly}, until it is reset) or the socket timeout. */
  private Answer answer(int stream, boolean resetOnly) throws IOException {
    var listener = new Http2FrameAdapter() {
      int status;
      long reset = -1;
      boolean goAway;
      boolean timedOut;
      boolean done;
      final StringBuilder text = new StringBuilder();

      @Override
      public void onHeadersRead(ChannelHandlerContext c, int id, Http2Headers headers, int padding, boolean end) {
        if (id == stream) {
          if (headers.status() != null) {
            status = Integer.parseInt(headers.status().toString());
          }
          done |= end && !resetOnly;
        }
      }

      @Override
      public void onHeadersRead(ChannelHandlerContext c, int id, Http2Headers headers, int dependency, short weight,
                                boolean exclusive, int padding, boolean end) {
        onHeadersRead(c, id, headers, padding, end);
      }

      @Override
      public int onDataRead(ChannelHandlerContext c, int id, ByteBuf data, int padding, boolean end) {
        int length = data.readableBytes() + padding;
        if (id == stream) {
          text.append(data.toString(StandardCharsets.UTF_8));
          done |= end && !resetOnly;
        }
        return length;
      }

      @Override
      public void onRstStreamRead(ChannelHandlerContext c, int id, long errorCode) {
        // The first: a DATA frame that was already on its way when the gateway reset the stream can
        // draw a second RST_STREAM (STREAM_CLOSED), read in the same batch of frames.
        if (id == stream && reset < 0) {
          reset = errorCode;
          done = true;
        }
      }

      @Override
      public void onGoAwayRead(ChannelHandlerContext c, int lastStreamId, long errorCode, ByteBuf debugData) {
        goAway = true;
        done |= lastStreamId < stream || errorCode != 0;
      }

      @Override
      public void onSettingsRead(ChannelHandlerContext c, Http2Settings settings) {
        writer.writeSettingsAck(ctx, ctx.newPromise());
      }
    };
    byte[] buffer = new byte[16 * 1024];
    try {
      while (!listener.done) {
        int n = in.read(buffer);
        if (n < 0) {
          listener.goAway = true; // closed without a word: a connection error
          break;
        }
        inbound.writeBytes(buffer, 0, n);
        reader.readFrame(ctx, inbound, listener);
        inbound.discardReadBytes();
        flush(); // settings acknowledgements
      }
    } catch (SocketTimeoutException hang) {
      listener.timedOut = true;
    } catch (SocketException closed) {
      listener.goAway = true;
    } catch (Http2Exception e) {
      throw new IOException("unreadable HTTP/2 from the gateway", e);
    }
    return new Answer(listener.status, listener.reset, listener.goAway, listener.timedOut, listener.text.toString());
  }

  private void flush() throws IOException {
    channel.flushOutbound();
    for (ByteBuf bytes; (bytes = channel.readOutbound()) != null; ) {
      send(bytes);
    }
  }

  private void send(ByteBuf bytes) throws IOException {
    try {
      byte[] copy = new byte[bytes.readableBytes()];
      bytes.readBytes(copy);
      out.write(copy);
      out.flush();
    } finally {
      bytes.release();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    channel.finishAndReleaseAll();
    inbound.release();
  }
}
