package dev.gantry.runtime.security;

import dev.gantry.runtime.config.RouteConfig.SchemeRef;
import dev.gantry.runtime.config.SecurityConfig;
import dev.gantry.runtime.config.SecurityConfig.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** SecurityConfig and route requirement builders for the tests. */
final class Schemes {

  private Schemes() {}

  static SecurityConfig jwks(String name, URI jwksUrl) {
    return new SecurityConfig(name, Type.JWT, new SecurityConfig.Jwt(Tokens.ISSUER, List.of(Tokens.AUDIENCE, "other"),
        jwksUrl, null, null, null), null, null, null, null);
  }

  static SecurityConfig jwtFile(String name, Path certificateFile) {
    return new SecurityConfig(name, Type.JWT, new SecurityConfig.Jwt(Tokens.ISSUER, null, null, certificateFile,
        Duration.ofSeconds(30), null), null, null, null, null);
  }

  static SecurityConfig oauth2(String name, URI introspectionUrl, Path secretFile, Duration cacheTtl) {
    return new SecurityConfig(name, Type.OAUTH2, null,
        new SecurityConfig.OAuth2(introspectionUrl, "gantry", secretFile, cacheTtl), null, null, null);
  }

  static SecurityConfig basic(String name, Path htpasswd, String realm) {
    return new SecurityConfig(name, Type.BASIC, null, null, new SecurityConfig.Basic(htpasswd, realm), null, null);
  }

  static SecurityConfig apiKey(String name, String in, String parameter, Path keysFile) {
    return new SecurityConfig(name, Type.APIKEY, null, null, null, new SecurityConfig.ApiKey(in, parameter, keysFile), null);
  }

  static SecurityConfig mtls(String name, Path caFile, String principalFrom) {
    return new SecurityConfig(name, Type.MTLS, null, null, null, null, new SecurityConfig.Mtls(caFile, principalFrom));
  }

  static SchemeRef ref(String scheme, String... scopes) {
    return new SchemeRef(scheme, List.of(scopes));
  }

  static Path write(Path dir, String fileName, String content) {
    try {
      return Files.writeString(dir.resolve(fileName), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A loopback URL on which nothing listens (a port bound, then released). */
  static URI deadUrl(String path) {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
