package dev.gantry.runtime.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;

class HopByHopTest {
  @Test
  void theHopByHopHeadersAndHostAreRecognisedInAnyCaseAndAnyCharSequence() {
    List<String> hop = List.of("Connection", "keep-alive", "Proxy-Authenticate", "proxy-authorization",
        "Proxy-Connection", "TE", "Trailer", "transfer-encoding", "UPGRADE", "Host");
    for (String name : hop) {
      assertThat(Proxy.hopByHop(name)).as(name).isTrue();
      assertThat(Proxy.hopByHop(new AsciiString(name.toUpperCase()))).as(name).isTrue();
    }
  }

  @Test
  void endToEndHeadersOfTheSameLengthsAreNot() {
    for (String name : List.of("Tk", "Hostx", "Hos", "Trailers", "Upgraded", "Connectio1", "Keep-Alivf",
        "Content-Length", "Authorization", "X-Proxy-Connectio", "Proxy-Authorizatio", "transfer-encodinG2")) {
      assertThat(Proxy.hopByHop(name)).as(name).isFalse();
    }
  }
}
