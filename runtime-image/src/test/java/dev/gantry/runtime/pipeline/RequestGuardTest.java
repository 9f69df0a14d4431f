package dev.gantry.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestGuardTest {
  @Test
  void dotSegmentsAndBackslashesAreNoPlainPath() {
    for (String path : new String[] {"/a/..", "/a/.", "/..", "/.", "/a/../b", "/a/./b", "/a/%2e%2e/b", "/a/%2E",
        "/a/.%2e", "/a/%2e./", "/a\\b", "/a/..?q", "/a/..%2Fadmin", "/a/..%2fadmin", "/a/x%2F..", "/a/..%5cb"}) {
      assertThat(RequestGuard.plainPath(path)).as(path).isFalse();
    }
    for (String path : new String[] {"/", "/a/b", "/a/...", "/a/..b", "/a/b..", "/a/.well-known", "/a/%2e%2e%2e",
        "/a/%2f", "/a/b%2Fc", "/a/b?x=/..", "/a/%2", "/a/%", ""}) {
      assertThat(RequestGuard.plainPath(path)).as(path).isTrue();
    }
  }

  @Test
  void anAbsoluteFormTargetBecomesOriginFormAndGivesItsAuthority() {
    assertThat(RequestGuard.originForm("/shop/v1/items?q=1")).isEqualTo("/shop/v1/items?q=1");
    assertThat(RequestGuard.originForm("http://shop.example/shop/v1/items?q=1")).isEqualTo("/shop/v1/items?q=1");
    assertThat(RequestGuard.originForm("HTTPS://shop.example:8443/a")).isEqualTo("/a");
    assertThat(RequestGuard.originForm("http://shop.example")).isEqualTo("/");
    assertThat(RequestGuard.originForm("http://shop.example?q")).isEqualTo("/?q");
    assertThat(RequestGuard.targetAuthority("http://[::1]:8080/a")).isEqualTo("[::1]:8080");
    assertThat(RequestGuard.targetAuthority("/a")).isNull();
    assertThat(RequestGuard.targetAuthority("*")).isNull();
  }

  @Test
  void targetsThatAreNeitherAPathNorAnHttpUrlHaveNoAuthority() {
    for (String target : new String[] {"ftp://shop.example/a", "http:///a", "http://user@shop.example/a",
        "http://shop.example:x/a", "shop.example/a", "http:/shop.example/a", "*"}) {
      assertThat(RequestGuard.absoluteAuthorityEnd(target)).as(target).isEqualTo(-1);
    }
  }

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

  @Test
  void fieldNamesAreTokensAndValuesHoldNoControlCharactersButTab() {
    assertThat(RequestGuard.token("x-request-id")).isTrue();
    assertThat(RequestGuard.token("!#$%&'*+-.^_`|~09azAZ")).isTrue();
    for (String name : new String[] {"", "x note", "x:note", "x\r\nnote", "x\u0000", "ключ", "x(y)", "x\"y"}) {
      assertThat(RequestGuard.token(name)).as(name).isFalse();
    }
    assertThat(RequestGuard.fieldValue("text/html; q=0.9,\t*/*")).isTrue();
    assertThat(RequestGuard.fieldValue("caf\u00e9")).as("obs-text").isTrue();
    for (String value : new String[] {"a\r\nx-injected: 1", "a\nb", "a\rb", "a\u0000b", "a\u007fb", "a\u0001b"}) {
      assertThat(RequestGuard.fieldValue(value)).as(value.replace("\r", "CR").replace("\n", "LF")).isFalse();
    }
  }

  @Test
  void aTargetWithASpaceOrControlCharacterIsNotVisible() {
    assertThat(RequestGuard.visibleTarget("/a/b?c=d%20e&f=%0D%0A")).as("percent-encoded is data").isTrue();
    for (String target : new String[] {"/a b", "/a\r\nx: 1", "/a\nb", "/a\u0000b", "/a\tb", "/a\u007f"}) {
      assertThat(RequestGuard.visibleTarget(target)).as(target.replace("\r", "CR").replace("\n", "LF")).isFalse();
    }
  }
}
