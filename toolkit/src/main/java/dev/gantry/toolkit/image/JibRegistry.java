package dev.gantry.toolkit.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestListTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciManifestTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link Registry} over Jib's {@link RegistryClient} (an internal Jib API, kept behind our
 * interface so a Jib upgrade touches this class only). One lookup makes the auth requests, one
 * manifest request (two for a manifest list) and, unless the manifest mirrors the Gantry labels
 * ({@link ManifestLabels}, images Gantry built with Jib), one request for the config blob.
 *
 * <p>Round trips are what an operator with a thousand APIs pays for, so: without credentials the
 * manifest is asked for first and the auth handshake ({@code GET /v2/}) happens only when the
 * registry answers 401 (an open registry then costs no handshake; a token registry one extra 401);
 * and labels are remembered by config digest, which names immutable content.
 */
public final class JibRegistry implements Registry {
  /** The platform picked from a manifest list, as Jib's own builds default to it. */
  static final String ARCHITECTURE = "amd64";
  static final String OS = "linux";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Config blob digest → its labels. Content-addressed, so never stale; bounded (LRU). */
  private static final Map<DescriptorDigest, Map<String, String>> LABELS = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DescriptorDigest, Map<String, String>> eldest) {
          return size() > 10_000;
        }
      });

  private final RegistryAccess access;
  /** Lookups in one client before the next one (see {@link RotatingClient}). */
  static final int LOOKUPS_PER_CLIENT = 200;

  /**
   * The HTTP client lookups share: it remembers that a plain-HTTP registry is plain HTTP (a client
   * per lookup tried, and failed, a TLS handshake every time). Rotated, because Jib's client keeps
   * what every call made until it is shut down. Thread-safe (Jib shares one across its own steps).
   */
  private final RotatingClient<FailoverHttpClient> http;

  public JibRegistry(RegistryAccess access) {
    this.access = access;
    this.http = new RotatingClient<>(() -> access.httpClient(log -> { }), JibRegistry::shutDown, LOOKUPS_PER_CLIENT);
  }

  @Override
  public Lookup lookup(ImageReference reference) throws RegistryAccessException {
    String registry = reference.getRegistry();
    Optional<Credential> credential = access.credential(reference);
    try (RotatingClient<FailoverHttpClient>.Lease lease = http.lease()) {
      RegistryClient.Factory factory = RegistryClient.factory(EventHandlers.NONE, registry, reference.getRepository(),
          lease.client()).setUserAgent("gantry");
      credential.ifPresent(factory::setCredential);
      RegistryClient client = factory.newRegistryClient();
      Optional<ManifestAndDigest<ManifestTemplate>> found;
      if (credential.isPresent()) {
        authenticate(client, true);
        found = pullManifest(client, reference.getQualifier());
      } else {
        try {
          found = pullManifest(client, reference.getQualifier());
        } catch (RegistryUnauthorizedException e) {
          authenticate(client, false); // anonymous pulls that still need a (token) handshake
          found = pullManifest(client, reference.getQualifier());
        }
      }
      if (found.isEmpty()) {
        return new Absent();
      }
      ManifestAndDigest<ManifestTemplate> manifest = found.get();
      if (manifest.getManifest() instanceof ManifestListTemplate list) {
        manifest = platformManifest(client, reference, list);
      }
      if (!(manifest.getManifest() instanceof BuildableManifestTemplate image)) {
        throw new RegistryAccessException(registry, reference + " has a schema " + manifest.getManifest().getSchemaVersion()
            + " manifest (" + manifest.getManifest().getManifestMediaType() + "), which Gantry cannot read labels from", null);
      }
      Optional<Map<String, String>> mirrored = ManifestLabels.of(image); // Gantry's Jib images: no config fetch
      return new Present(manifest.getDigest().toString(), mirrored.isPresent() ? mirrored.get()
          : labels(client, image.getContainerConfiguration().getDigest()));
    } catch (RegistryUnauthorizedException e) {
      throw new RegistryAccessException(registry, "registry " + registry + " refused access to " + reference
          + (credential.isPresent() ? " with the credentials from " + access.dockerConfig().orElseThrow()
              : " without credentials (none found in " + access.dockerConfig().map(Object::toString).orElse("any docker config") + ")")
          + ": " + statusOf(e), e);
    } catch (IOException | RegistryException | RuntimeException e) {
      throw new RegistryAccessException(registry, "cannot look up " + reference + " in registry " + registry + ": "
          + describe(e) + (access.insecure() ? "" : hintForPlainHttp(e)), e);
    }
  }

  /**
   * Puts the manifest Jib just pushed to {@code target}'s tag again, with {@code labels} mirrored on
   * its config descriptor ({@link ManifestLabels}), and returns the digest the tag then names. The
   * manifest Jib pushed stays in the registry, untagged (its layers and config are the same blobs).
   */
  static String putWithMirroredLabels(RegistryAccess access, ImageReference target, DescriptorDigest pushed,
                                      Map<String, String> labels)
      throws IOException, RegistryException, RegistryAccessException {
    Optional<Credential> credential = access.credential(target);
    FailoverHttpClient http = access.httpClient(log -> { });
    try {
      RegistryClient.Factory factory = RegistryClient.factory(EventHandlers.NONE, target.getRegistry(),
          target.getRepository(), http).setUserAgent("gantry");
      credential.ifPresent(factory::setCredential);
      RegistryClient client = factory.newRegistryClient();
      if (!client.doPushBearerAuth() && credential.isPresent()) {
        client.configureBasicAuth();
      }
      OciManifestTemplate manifest = client.pullManifest(pushed.toString(), OciManifestTemplate.class).getManifest();
      return client.pushManifest(ManifestLabels.annotated(manifest, labels), target.getQualifier()).toString();
    } finally {
      shutDown(http);
    }
  }

  private static void shutDown(FailoverHttpClient http) {
    try {
      http.shutDown();
    } catch (IOException e) {
      // Closing idle connections failed: nothing to undo, they go with the client.
    }
  }

  private static void authenticate(RegistryClient client, boolean basicFallback) throws IOException, RegistryException {
    if (!client.doPullBearerAuth() && basicFallback) {
      client.configureBasicAuth(); // htpasswd registries answer 401 Basic, not a token realm
    }
  }

  /** The manifest, or empty exactly when the registry says MANIFEST_UNKNOWN (or a bare 404 for it). */
  private static Optional<ManifestAndDigest<ManifestTemplate>> pullManifest(RegistryClient client, String tag)
      throws IOException, RegistryException {
    try {
      return Optional.of(client.pullManifest(tag));
    } catch (RegistryException e) {
      if (isManifestUnknown(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static boolean isManifestUnknown(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ResponseException response && response.getStatusCode() == 404) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains("MANIFEST_UNKNOWN")) {
        return true;
      }
    }
    return false;
  }

  private static ManifestAndDigest<ManifestTemplate> platformManifest(RegistryClient client, ImageReference reference,
                                                                      ManifestListTemplate list)
      throws IOException, RegistryException, RegistryAccessException {
    List<String> digests = list.getDigestsForPlatform(ARCHITECTURE, OS);
    if (digests.isEmpty()) {
      throw new RegistryAccessException(reference.getRegistry(), reference + " is a manifest list without a "
          + OS + "/" + ARCHITECTURE + " image; Gantry images are single-platform", null);
    }
    return client.pullManifest(digests.get(0));
  }

  private static Map<String, String> labels(RegistryClient client, DescriptorDigest config) throws IOException {
    Map<String, String> known = LABELS.get(config);
    if (known != null) {
      return known;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    client.pullBlob(config, size -> { }, read -> { }).writeTo(bytes);
    JsonNode labels = JSON.readTree(bytes.toByteArray()).path("config").path("Labels");
    Map<String, String> result = new TreeMap<>();
    labels.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
    Map<String, String> copy = Map.copyOf(result);
    LABELS.put(config, copy);
    return copy;
  }

  private static String statusOf(RegistryUnauthorizedException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ResponseException response) {
        return response.getStatusCode() == 403 ? "403 Forbidden" : response.getStatusCode() + " Unauthorized";
      }
    }
    return "unauthorized";
  }

  /** The innermost useful message: "Connection refused", "Read timed out", "500 Internal Server Error"… */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (e instanceof ResponseException response) {
      return response.getStatusCode() + " from the registry";
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().strip();
    // HTTP errors carry the request and the body on further lines; the first line says enough.
    int newline = message.indexOf('\n');
    message = newline < 0 ? message : message.substring(0, newline).strip();
    return root == e ? message : message + " (" + root.getClass().getSimpleName() + ")";
  }

  private static String hintForPlainHttp(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return "; if the registry speaks plain HTTP or uses a private CA, use --insecure or trust the CA";
      }
    }
    return "";
  }
}
