package dev.gantry.toolkit.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How Gantry reaches registries: the one place that knows the plain-HTTP switch, where Docker's
 * {@code config.json} lives and how custom CAs are trusted. Every builder (Jib here, the runtime
 * base image builder, the operator) asks it for {@link #registryImage} and {@link #containerizer}
 * instead of configuring Jib itself, so all of them authenticate the same way.
 *
 * <p>Credentials come from a Docker config file: {@code auths} (base64 {@code user:password}),
 * {@code credHelpers} and {@code credsStore} are all read by Jib's
 * {@link CredentialRetrieverFactory#dockerConfig(Path)}. The file is the explicit one, else
 * {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}.
 *
 * <p>TLS: Jib's HTTP client uses the JVM's default {@link SSLContext} (Apache's "system socket
 * factory"), and offers no hook of its own. A registry signed by a private CA is therefore trusted
 * either with {@code -Djavax.net.ssl.trustStore=...} or with {@link #trustCertificates(Path)}, which
 * replaces the process-wide default context by one that trusts the JDK's CAs plus the given ones.
 */
public final class RegistryAccess {
  /** Jib's switch for sending credentials over plain HTTP (the property name has no "jib." prefix in 0.28); read at build time. */
  static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";

  private final boolean insecure;
  private final Optional<Path> dockerConfig;
  private final Consumer<String> warnings;

  private RegistryAccess(boolean insecure, Optional<Path> dockerConfig, Consumer<String> warnings) {
    this.insecure = insecure;
    this.dockerConfig = dockerConfig;
    this.warnings = warnings;
  }

  /**
   * The same access, reporting credential warnings (a missing {@code docker-credential-*} helper,
   * an unreadable entry) to {@code warnings}: Jib then goes on anonymously, and the registry's
   * later 401 is easier to understand with the warning beside it.
   */
  public RegistryAccess withWarnings(Consumer<String> warnings) {
    return new RegistryAccess(insecure, dockerConfig, warnings);
  }

  /**
   * @param insecure allow plain HTTP and unverified TLS (a local or test registry)
   * @param dockerConfig an explicit {@code config.json}, or null for the default lookup
   * @param env the process environment (for {@code DOCKER_CONFIG}), passed in so tests need not change it
   * @throws IllegalArgumentException when the explicit file does not exist (a user mistake worth stopping for)
   */
  public static RegistryAccess of(boolean insecure, Path dockerConfig, Map<String, String> env) {
    if (dockerConfig != null && !Files.isRegularFile(dockerConfig)) {
      throw new IllegalArgumentException("docker config " + dockerConfig + " does not exist or is not a file");
    }
    return new RegistryAccess(insecure, Optional.ofNullable(dockerConfig).or(() -> defaultDockerConfig(env)), w -> { });
  }

  /** Anonymous access (or whatever the default docker config gives), TLS verified. */
  public static RegistryAccess defaults() {
    return of(false, null, System.getenv());
  }

  /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}, when the file exists. */
  static Optional<Path> defaultDockerConfig(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    Path path = dir != null && !dir.isBlank() ? Path.of(dir, "config.json")
        : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  public boolean insecure() {
    return insecure;
  }

  /** The config file credentials are read from, if any. */
  public Optional<Path> dockerConfig() {
    return dockerConfig;
  }

  /** A Jib image for {@code reference}, with the credentials the docker config holds for its registry. */
  public RegistryImage registryImage(ImageReference reference) {
    RegistryImage image = RegistryImage.named(reference);
    credentialRetriever(reference).ifPresent(image::addCredentialRetriever);
    return image;
  }

  /**
   * A containerizer pushing to {@code target}, with the insecure switch applied. When insecure,
   * also lets Jib send credentials over plain HTTP (a process-wide Jib property; harmless when the
   * registry speaks HTTPS, since Jib only falls back to HTTP when HTTPS fails).
   */
  public Containerizer containerizer(ImageReference target) {
    if (insecure) {
      System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
    }
    return Containerizer.to(registryImage(target)).setAllowInsecureRegistries(insecure).setToolName("gantry");
  }

  /** The credential for {@code reference}'s registry, or empty for anonymous access. */
  public Optional<Credential> credential(ImageReference reference) throws RegistryAccessException {
    Optional<CredentialRetriever> retriever = credentialRetriever(reference);
    if (retriever.isEmpty()) {
      return Optional.empty();
    }
    try {
      return retriever.get().retrieve();
    } catch (Exception e) {
      throw new RegistryAccessException(reference.getRegistry(), "cannot read credentials for " + reference.getRegistry()
          + " from " + dockerConfig.orElseThrow() + ": " + e.getMessage(), e);
    }
  }

  /**
   * An HTTP client for direct registry calls (lookups), with the same switches a build uses but
   * without Jib's own retries. Jib retries an I/O failure ten times with exponential back-off, about
   * a minute in all: right for a long push, wrong for a lookup an operator thread waits on. A registry
   * that is down must be an answer at once (the caller retries on its own schedule), not a reconcile
   * thread blocked for a minute per API. Jib exposes the switch only on a package-private
   * constructor, so it is reached reflectively; should a Jib update remove it, the retrying client is
   * used and {@code RegistryDownIT} fails.
   *
   * <p>Also, the client makes one transport (Apache connection pool) of each kind, TLS and
   * trust-all, and every call reuses it, where Jib's makes a new one, and so a new TCP connection,
   * per request: at 1,000 lookups that was a quarter of the operator's CPU (operator/README.md,
   * "Scale benchmark"). The transports are Jib's own (its private factories); they are closed
   * with the client ({@link FailoverHttpClient#shutDown()}). Reached the same way; without it,
   * transport per request as before, and {@code RegistryAccessTest} fails.
   */
  public FailoverHttpClient httpClient(Consumer<LogEvent> log) {
    try {
      Method tls = FailoverHttpClient.class.getDeclaredMethod("getSecureHttpTransport");
      Method trustAll = FailoverHttpClient.class.getDeclaredMethod("getInsecureHttpTransport");
      var shared = FailoverHttpClient.class.getDeclaredConstructor(boolean.class, boolean.class,
          Consumer.class, Supplier.class, Supplier.class, boolean.class);
      tls.setAccessible(true);
      trustAll.setAccessible(true);
      shared.setAccessible(true);
      // google-http-client's HttpTransport is a runtime dependency of Jib only: held as Object.
      ConcurrentHashMap<Method, Object> transports = new ConcurrentHashMap<>();
      Supplier<Object> secure = () -> transports.computeIfAbsent(tls, RegistryAccess::transport);
      Supplier<Object> insecureTls = () -> transports.computeIfAbsent(trustAll, RegistryAccess::transport);
      return shared.newInstance(insecure, insecure, log, secure, insecureTls, false);
    } catch (ReflectiveOperationException | RuntimeException e) {
      try {
        var withoutRetries = FailoverHttpClient.class.getDeclaredConstructor(boolean.class, boolean.class,
            Consumer.class, boolean.class);
        withoutRetries.setAccessible(true);
        return withoutRetries.newInstance(insecure, insecure, log, false);
      } catch (ReflectiveOperationException | RuntimeException e2) {
        return new FailoverHttpClient(insecure, insecure, log);
      }
    }
  }

  private static Object transport(Method factory) {
    try {
      return factory.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Jib's transport factory " + factory.getName() + " failed", e);
    }
  }

  private Optional<CredentialRetriever> credentialRetriever(ImageReference reference) {
    Consumer<LogEvent> log = event -> {
      if (event.getLevel() == LogEvent.Level.WARN || event.getLevel() == LogEvent.Level.ERROR) {
        warnings.accept(event.getMessage());
      }
    };
    return dockerConfig.map(path -> CredentialRetrieverFactory.forImage(reference, log).dockerConfig(path));
  }

  /**
   * Makes every TLS connection of this process (Jib's included) trust the JDK's CAs plus the
   * certificates in {@code pemFile}. Process-wide by necessity: Jib's client takes the default context.
   */
  public static void trustCertificates(Path pemFile) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> extra;
    try (InputStream in = Files.newInputStream(pemFile)) {
      extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (extra.isEmpty()) {
      throw new GeneralSecurityException(pemFile + " holds no PEM certificate");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int n = 0;
    for (X509Certificate ca : jdkTrustedCertificates()) {
      store.setCertificateEntry("jdk-" + n++, ca);
    }
    for (Certificate ca : extra) {
      store.setCertificateEntry("extra-" + n++, ca);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    lastTrustManager = (X509TrustManager) factory.getTrustManagers()[0];
    SSLContext.setDefault(context);
  }

  private static volatile X509TrustManager lastTrustManager;

  /* test */ static X509TrustManager lastTrustManager() {
    return lastTrustManager;
  }

  private static List<X509Certificate> jdkTrustedCertificates() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    List<X509Certificate> all = new ArrayList<>();
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        all.addAll(List.of(x509.getAcceptedIssuers()));
      }
    }
    return all;
  }
}
