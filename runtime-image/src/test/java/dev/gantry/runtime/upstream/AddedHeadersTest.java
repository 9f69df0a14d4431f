package dev.gantry.runtime.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class AddedHeadersTest {

  @Test
  void namesAreMatchedIgnoringCaseAndASetReplacesTheEarlierValue() {
    AddedHeaders added = new AddedHeaders()
        .addAll(MultiMap.caseInsensitiveMultiMap().add("Access-Control-Allow-Origin", "https://a.example")
            .add("Vary", "Origin"))
        .set("RateLimit-Limit", "10").set("ratelimit-limit", "20").set("RateLimit-Remaining", "9");

    assertThat(added.contains("access-control-allow-origin")).isTrue();
    assertThat(added.contains("RATELIMIT-REMAINING")).isTrue();
    assertThat(added.contains("RateLimit-Reset")).isFalse();
    assertThat(added.contains("Vary2")).isFalse();
    MultiMap to = MultiMap.caseInsensitiveMultiMap().add("Vary", "Accept-Encoding");
    added.addTo(to);
    assertThat(to.getAll("RateLimit-Limit")).containsExactly("20");
    assertThat(to.getAll("Vary")).as("added after what was there").containsExactly("Accept-Encoding", "Origin");
    assertThat(to.entries()).hasSize(5);
  }

  @Test
  void moreThanItsFirstArrayHoldsAreKeptAndTakenOffAnAnswer() {
    AddedHeaders added = new AddedHeaders();
    MultiMap answer = MultiMap.caseInsensitiveMultiMap().add("Keep", "1");
    for (int i = 0; i < 10; i++) {
      added.set("X-Added-" + i, Integer.toString(i));
      answer.add("x-added-" + i, "earlier");
    }
    added.removeFrom(answer);
    assertThat(answer.names()).containsExactly("Keep");
    added.addTo(answer);
    assertThat(answer.get("X-Added-9")).isEqualTo("9");
    assertThat(answer.entries()).hasSize(11);
  }
}
