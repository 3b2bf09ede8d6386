package io.openclaw.operator.api;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Identifies one resource of this API: kind, namespace and name. */
public record ResourceKey(String kind, String namespace, String name) implements Comparable<ResourceKey> {
  public static final String DEFAULT_NAMESPACE = "default";

  public static ResourceKey of(HasMetadata resource) {
    String ns = resource.getMetadata().getNamespace();
    return new ResourceKey(resource.getKind(), ns == null || ns.isEmpty() ? DEFAULT_NAMESPACE : ns, resource.getMetadata().getName());
  }

  /** The form used in ownership labels: Kind/namespace/name. */
  @Override
  public String toString() { return kind + "/" + namespace + "/" + name; }

  public static ResourceKey parse(String text) {
    String[] parts = text.split("/", 3);
    if (parts.length != 3) throw new IllegalArgumentException("not Kind/namespace/name: " + text);
    return new ResourceKey(parts[0], parts[1], parts[2]);
  }

  @Override
  public int compareTo(ResourceKey o) { return toString().compareTo(o.toString()); }
}
