package dev.gantry.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpAuthTest {

  @Test
  void credentialsFollowTheSchemeWhateverItsCaseAndTheSpacesAround() {
    assertThat(HttpAuth.credentials("Bearer abc.def.ghi", "Bearer")).isEqualTo("abc.def.ghi");
    assertThat(HttpAuth.credentials("bearer abc", "Bearer")).isEqualTo("abc");
    assertThat(HttpAuth.credentials("  BEARER \t  abc  ", "Bearer")).isEqualTo("abc");
    assertThat(HttpAuth.credentials("Bearer a b", "Bearer")).isEqualTo("a b");
  }

  @Test
  void anotherSchemeIsMissingCredentialsNotInvalidOnes() {
    for (String header : new String[] {"Basic abc", "Bearerx abc", "Beare abc", "Bearer\tabc", "abc"}) {
      assertThatThrownBy(() -> HttpAuth.credentials(header, "Bearer"))
          .isInstanceOfSatisfying(AuthenticationFailure.class,
              f -> assertThat(f.getMessage()).isEqualTo("Authorization is not Bearer"));
    }
  }

  @Test
  void theSchemeAloneIsEmptyCredentials() {
    for (String header : new String[] {"Bearer", "Bearer   ", " Bearer \t "}) {
      assertThatThrownBy(() -> HttpAuth.credentials(header, "Bearer"))
          .isInstanceOfSatisfying(AuthenticationFailure.class,
              f -> assertThat(f.getMessage()).isEqualTo("empty Bearer credentials"));
    }
  }
}
