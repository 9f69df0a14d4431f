package dev.gantry.toolkit.image;

import com.google.cloud.tools.jib.api.ImageReference;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a per-API image: {@code <registry>[/<prefix>]/<api>:<version>}.
 *
 * <p>Registries accept less than API names and versions may hold, so both are normalised by two
 * documented rules and refused (never silently mangled further) when the rules are not enough:
 * <ul>
 *   <li>repository components (prefix parts, API name) are lower-cased and must then match the
 *       OCI distribution spec's {@code [a-z0-9]+([._-][a-z0-9]+)*}; "PetStore" becomes "petstore",
 *       "pet store" is refused;</li>
 *   <li>the tag is the version with each {@code '+'} replaced by {@code '_'} (semver build
 *       metadata, as Helm and others do, since '+' is not allowed in a tag) and must then match
 *       {@code [A-Za-z0-9_][A-Za-z0-9._-]{0,127}}; "1.0.0+build" becomes "1.0.0_build".</li>
 * </ul>
 * Upper case is kept in tags: they are case-sensitive, and lower-casing "RC1" could merge two versions.
 */
public record ImageName(String registry, String repository, String tag) {
  static final String COMPONENT_RULE = "[a-z0-9]+([._-][a-z0-9]+)*";
  static final String TAG_RULE = "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}";
  private static final Pattern COMPONENT = Pattern.compile(COMPONENT_RULE);
  private static final Pattern TAG = Pattern.compile(TAG_RULE);
  // host name or IPv4 (or [IPv6]) with an optional port; no scheme: Jib chooses HTTPS or HTTP itself.
  private static final Pattern HOST = Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?");
  /** The distribution spec's limit on a repository name (all components and slashes). */
  private static final int MAX_REPOSITORY = 255;

  /** A registry as given by {@code --registry HOST[:PORT][/prefix]}, checked and normalised. */
  public record Target(String host, String prefix) {
    /** Parses {@code HOST[:PORT][/prefix]}; throws {@link ImageNameException} naming the value and the rule. */
    public static Target parse(String value) {
      if (value == null || value.isBlank()) {
        throw new ImageNameException("registry is empty: give HOST[:PORT][/prefix], for example 127.0.0.1:5000/apis");
      }
      if (value.contains("://")) {
        throw new ImageNameException("registry \"" + value + "\" has a scheme: give HOST[:PORT][/prefix] without "
            + "http:// or https:// (use --insecure for a plain-HTTP registry)");
      }
      String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
      int slash = trimmed.indexOf('/');
      String host = (slash < 0 ? trimmed : trimmed.substring(0, slash)).toLowerCase(Locale.ROOT);
      if (!HOST.matcher(host).matches() || !ImageReference.isValidRegistry(host)) {
        throw new ImageNameException("registry \"" + value + "\": \"" + host
            + "\" is not a registry host: give HOST[:PORT], for example registry.example.com or 127.0.0.1:5000");
      }
      StringBuilder prefix = new StringBuilder();
      if (slash >= 0) {
        for (String part : trimmed.substring(slash + 1).split("/", -1)) {
          prefix.append(prefix.length() == 0 ? "" : "/").append(component(part, "registry prefix part", value));
        }
      }
      return new Target(host, prefix.toString());
    }

    @Override
    public String toString() {
      return prefix.isEmpty() ? host : host + "/" + prefix;
    }
  }

  /** The image for one API version in {@code target}. */
  public static ImageName of(Target target, String api, String version) {
    String repository = (target.prefix().isEmpty() ? "" : target.prefix() + "/") + component(api, "API name", api);
    if (repository.length() > MAX_REPOSITORY) {
      throw new ImageNameException("image repository \"" + repository + "\" is longer than " + MAX_REPOSITORY
          + " characters: shorten the registry prefix or the API name");
    }
    return new ImageName(target.host(), repository, tag(version));
  }

  /** Convenience for {@code of(Target.parse(registry), api, version)}. */
  public static ImageName of(String registry, String api, String version) {
    return of(Target.parse(registry), api, version);
  }

  /** The tag for a version: '+' becomes '_', then the tag rule must hold. */
  public static String tag(String version) {
    if (version == null || version.isEmpty()) {
      throw new ImageNameException("version is empty: an image tag needs one");
    }
    String tag = version.replace('+', '_');
    if (!TAG.matcher(tag).matches()) {
      throw new ImageNameException("version \"" + version + "\" cannot be an image tag: with '+' replaced by '_' it must match "
          + TAG_RULE + " (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
    }
    return tag;
  }

  private static String component(String value, String what, String whole) {
    String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
    if (!COMPONENT.matcher(lower).matches()) {
      throw new ImageNameException(what + " \"" + value + "\"" + (whole.equals(value) ? "" : " (in \"" + whole + "\")")
          + " cannot be an image repository part: lower-cased it must match " + COMPONENT_RULE
          + " (letters and digits, with single '.', '_' or '-' between them)");
    }
    return lower;
  }

  /** Jib's reference for this name (tagged). */
  public ImageReference reference() {
    return ImageReference.of(registry, repository, tag);
  }

  /** {@code registry/repository@sha256:…}: the name pinned to one manifest. */
  public String withDigest(String manifestDigest) {
    return registry + "/" + repository + "@" + manifestDigest;
  }

  @Override
  public String toString() {
    return registry + "/" + repository + ":" + tag;
  }
}
