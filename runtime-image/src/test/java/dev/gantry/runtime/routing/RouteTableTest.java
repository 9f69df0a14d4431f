package dev.gantry.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private record Route(String method, String path) {}

  private final RouteTable<Route> table = RouteTable.of(List.of(
      new Route("GET", "/api/v1/pets"),
      new Route("POST", "/api/v1/pets"),
      new Route("GET", "/api/v1/pets/{id}"),
      new Route("DELETE", "/api/v1/pets/{id}"),
      new Route("GET", "/api/v1/pets/mine"),
      new Route("GET", "/api/v1/pets/{id}/photos/{photo}"),
      new Route("GET", "/")), Route::method, Route::path);

  private Object match(String method, String path) {
    RouteMatch<Route> m = table.match(method, path);
    return m instanceof RouteMatch.Found<Route> found ? found.route().path() : m;
  }

  @Test
  void literalsWinOverTemplatesAndTemplatesMatchOneSegment() {
    assertThat(match("GET", "/api/v1/pets/mine")).isEqualTo("/api/v1/pets/mine");
    assertThat(match("GET", "/api/v1/pets/42")).isEqualTo("/api/v1/pets/{id}");
    assertThat(match("GET", "/api/v1/pets/42/photos/7")).isEqualTo("/api/v1/pets/{id}/photos/{photo}");
    assertThat(match("GET", "/api/v1/pets/mine/photos/7")).isEqualTo("/api/v1/pets/{id}/photos/{photo}");
    assertThat(match("GET", "/")).isEqualTo("/");
  }

  @Test
  void unknownPathsAreNotFoundAndKnownPathsListTheirMethods() {
    assertThat(match("GET", "/api/v1/pets/42/other")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(match("GET", "/api/v1/pets/")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(match("GET", "/api/v1//pets")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(match("GET", "/api/v1/pets/a%2Fb")).isEqualTo("/api/v1/pets/{id}");
    assertThat(match("PUT", "/api/v1/pets/42"))
        .isEqualTo(new RouteMatch.MethodNotAllowed<Route>(Set.of("DELETE", "GET")));
  }

  @Test
  void siblingsWithTheSameHashAndManySiblingsAreToldApart() {
    // "Aa" and "BB" have the same String hash: the lookup by region must compare the text too.
    List<Route> routes = new java.util.ArrayList<>(List.of(new Route("GET", "/c/Aa"), new Route("GET", "/c/BB"),
        new Route("GET", "/c/Aa/x")));
    for (int i = 0; i < 50; i++) {
      routes.add(new Route("GET", "/c/r" + i));
    }
    RouteTable<Route> wide = RouteTable.of(routes, Route::method, Route::path);

    assertThat(((RouteMatch.Found<Route>) wide.match("GET", "/c/Aa")).route().path()).isEqualTo("/c/Aa");
    assertThat(((RouteMatch.Found<Route>) wide.match("GET", "/c/BB")).route().path()).isEqualTo("/c/BB");
    assertThat(((RouteMatch.Found<Route>) wide.match("GET", "/c/Aa/x")).route().path()).isEqualTo("/c/Aa/x");
    assertThat(wide.match("GET", "/c/BB/x")).isInstanceOf(RouteMatch.NotFound.class);
    for (int i = 0; i < 50; i++) {
      assertThat(((RouteMatch.Found<Route>) wide.match("GET", "/c/r" + i)).route().path()).isEqualTo("/c/r" + i);
    }
    assertThat(wide.match("GET", "/c/r50")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(wide.match("GET", "/c/A")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(wide.match("GET", "/c")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(wide.match("GET", "")).isInstanceOf(RouteMatch.NotFound.class);
  }

  @Test
  void aMatchIsMadeOnceWhenTheTableIsBuiltNotPerRequest() {
    assertThat(table.match("GET", "/api/v1/pets/42")).isSameAs(table.match("GET", "/api/v1/pets/7"));
    assertThat(table.match("PUT", "/api/v1/pets/42")).isSameAs(table.match("PATCH", "/api/v1/pets/7"));
    assertThat(match("GET", "")).isEqualTo("/");
  }
}
