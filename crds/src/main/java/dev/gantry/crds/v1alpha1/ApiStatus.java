package dev.gantry.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Observed state of an API: the built image, its bundle digest, where it answers, how many replicas are ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiStatus extends GantryStatus {

  @JsonPropertyDescription("The deployed gateway image, as a reference with digest (registry/name:tag@sha256:...).")
  private String image;

  @JsonPropertyDescription("sha256 digest of the compiled gateway bundle, as recorded in the image's label.")
  private String bundleDigest;

  @JsonPropertyDescription("URL at which the gateway serves this API.")
  private String url;

  @JsonPropertyDescription("Number of gateway pods that are ready.")
  private Integer readyReplicas;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getBundleDigest() {
    return bundleDigest;
  }

  public void setBundleDigest(String bundleDigest) {
    this.bundleDigest = bundleDigest;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }
}
