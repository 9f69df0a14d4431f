package dev.gantry.runtime.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrincipalHeaderTest {
  @Test
  void printableAsciiGoesAsItIs() {
    String dn = "CN=Alice Smith,O=Acme\\, Inc.,C=DE";
    assertThat(PrincipalHeader.value(dn)).isSameAs(dn);
    assertThat(PrincipalHeader.value("auth0|5f3c")).isEqualTo("auth0|5f3c");
  }

  @Test
  void everythingElseIsPercentEncodedUtf8SoNoTwoPrincipalsMeet() {
    assertThat(PrincipalHeader.value("CN=Пётр")).isEqualTo("CN=%D0%9F%D1%91%D1%82%D1%80");
    assertThat(PrincipalHeader.value("CN=Иван")).isEqualTo("CN=%D0%98%D0%B2%D0%B0%D0%BD");
    assertThat(PrincipalHeader.value("zoë")).isEqualTo("zo%C3%AB");
    assertThat(PrincipalHeader.value("a\r\nX-Admin: 1")).isEqualTo("a%0D%0AX-Admin: 1");
    assertThat(PrincipalHeader.value("ctl\u0001name")).isEqualTo("ctl%01name");
    // % itself, or "100%" and "100%25" would arrive alike
    assertThat(PrincipalHeader.value("100%25")).isEqualTo("100%2525");
    // spaces a header parser would trim
    assertThat(PrincipalHeader.value(" alice ")).isEqualTo("%20alice%20");
    assertThat(PrincipalHeader.value("CN=Пётр Smith")).endsWith("%80 Smith");
  }
}
