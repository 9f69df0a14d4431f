package dev.gantry.runtime.security;

import dev.gantry.runtime.config.GatewayConfig;
import dev.gantry.runtime.config.SecurityConfig;
import dev.gantry.runtime.config.UpstreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What a set of mounted secret files held when read: a SHA-256 of each file's bytes (or that it
 * could not be read), so that a changed Secret is noticed without keeping its content. Files are
 * small (keys, certificates, user lists), so reading them whole every few seconds costs nothing.
 */
public record SecretFingerprint(Map<Path, String> digests) {
  private static final String UNREADABLE = "unreadable";

  public SecretFingerprint {
    digests = Map.copyOf(digests);
  }

  /** Reads {@code files} now. */
  public static SecretFingerprint of(Collection<Path> files) {
    Map<Path, String> digests = new LinkedHashMap<>();
    for (Path file : files) {
      digests.put(file, digest(file));
    }
    return new SecretFingerprint(digests);
  }

  /**
   * The mounted files a gateway reads when it is built: its security schemes' keys, users,
   * certificates and client secrets, and its Endpoints' CAs.
   */
  public static List<Path> files(GatewayConfig config) {
    List<Path> files = new ArrayList<>();
    for (SecurityConfig scheme : config.security().values()) {
      Stream.of(scheme.jwt() == null ? null : scheme.jwt().certificateFile(),
              scheme.oauth2() == null ? null : scheme.oauth2().clientSecretFile(),
              scheme.basic() == null ? null : scheme.basic().credentialsFile(),
              scheme.apikey() == null ? null : scheme.apikey().keysFile(),
              scheme.mtls() == null ? null : scheme.mtls().caFile())
          .filter(Objects::nonNull).filter(file -> !files.contains(file)).forEach(files::add);
    }
    config.upstreams().values().stream().map(UpstreamConfig::caFile).filter(Objects::nonNull)
        .filter(file -> !files.contains(file)).forEach(files::add);
    return files;
  }

  private static String digest(Path file) {
    try {
      return HexFormat.of().formatHex(Hashes.sha256(Files.readAllBytes(file)));
    } catch (IOException e) { // missing or unreadable now; building from it says why
      return UNREADABLE;
    }
  }
}
