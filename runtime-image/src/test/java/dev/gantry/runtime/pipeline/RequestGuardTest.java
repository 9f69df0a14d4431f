package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestGuardTest {
  @Test
  void hostNamesAddressesAndPortsAreValidAuthorities() {
    assertThat(RequestGuard.validAuthority("shop.example")).isTrue();
    assertThat(RequestGuard.validAuthority("shop.example:8443")).isTrue();
    assertThat(RequestGuard.validAuthority("127.0.0.1:80")).isTrue();
    assertThat(RequestGuard.validAuthority("[::1]")).isTrue();
    assertThat(RequestGuard.validAuthority("[2001:db8::7]:8080")).isTrue();
    assertThat(RequestGuard.validAuthority("[::ffff:192.0.2.1]")).isTrue();
    assertThat(RequestGuard.validAuthority("xn--bcher-kva.example")).isTrue();
    assertThat(RequestGuard.validAuthority("a%2Db")).isTrue();
    assertThat(RequestGuard.validAuthority("")).as("a target without authority").isTrue();
  }

  @Test
  void authoritiesAnotherParserCouldReadDifferentlyAreInvalid() {
    assertThat(RequestGuard.validAuthority("a b")).isFalse();
    assertThat(RequestGuard.validAuthority("shop.example/admin")).isFalse();
    assertThat(RequestGuard.validAuthority("user@shop.example")).isFalse();
    assertThat(RequestGuard.validAuthority("shop.example:80:80")).isFalse();
    assertThat(RequestGuard.validAuthority("shop.example:8o")).isFalse();
    assertThat(RequestGuard.validAuthority("shop.example:123456")).isFalse();
    assertThat(RequestGuard.validAuthority("[::1")).isFalse();
    assertThat(RequestGuard.validAuthority("[]")).isFalse();
    assertThat(RequestGuard.validAuthority("[::g]")).isFalse();
    assertThat(RequestGuard.validAuthority("[::1]x")).isFalse();
    assertThat(RequestGuard.validAuthority("a%2")).isFalse();
    assertThat(RequestGuard.validAuthority("a%zz")).isFalse();
    assertThat(RequestGuard.validAuthority("bücher.example")).isFalse();
    assertThat(RequestGuard.validAuthority("shop.example\u0000")).isFalse();
  }
}
