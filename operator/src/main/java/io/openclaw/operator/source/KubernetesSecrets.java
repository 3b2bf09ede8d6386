package io.openclaw.operator.source;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.openclaw.operator.api.SecretKeyRef;
import io.openclaw.operator.api.validation.Manifest;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeSet;

/**
 * Kubernetes mode: {@code secretRef} reads a key of a Secret in the resource's own namespace, fetched when a
 * reconcile needs it and not cached, so the operator holds a value no longer than one reconcile. Messages name the
 * Secret and key, never a value.
 */
final class KubernetesSecrets implements SecretReader {
  private final KubernetesClient client;

  KubernetesSecrets(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public byte[] secretRef(Manifest owner, SecretKeyRef ref) {
    String namespace = owner.key().namespace();
    String where = "Secret \"" + ref.name() + "\" in namespace \"" + namespace + "\"";
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
    } catch (KubernetesClientException e) {
      throw new SecretReader.Unavailable("cannot read " + where + " (key \"" + ref.key() + "\"): "
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : "HTTP " + e.getCode()));
    }
    if (secret == null) {
      throw new SecretReader.Unavailable(where + " does not exist (wanted for key \"" + ref.key() + "\"); create it, or fix secretRef.name");
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String encoded = data.get(ref.key());
    if (encoded == null) {
      throw new SecretReader.Unavailable(where + " has no key \"" + ref.key() + "\" (its keys: " + String.join(", ", new TreeSet<>(data.keySet()))
          + "); fix secretRef.key or add the key");
    }
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new SecretReader.Unavailable(where + ", key \"" + ref.key() + "\": the value is not valid base64");
    }
  }

  @Override
  public byte[] configMapRef(Manifest owner, io.openclaw.operator.api.ConfigMapKeyRef ref) {
    String namespace = owner.key().namespace();
    String where = "ConfigMap \"" + ref.name() + "\" in namespace \"" + namespace + "\"";
    io.fabric8.kubernetes.api.model.ConfigMap map;
    try {
      map = client.configMaps().inNamespace(namespace).withName(ref.name()).get();
    } catch (KubernetesClientException e) {
      throw new SecretReader.Unavailable("cannot read " + where + " (key \"" + ref.key() + "\"): "
          + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : "HTTP " + e.getCode()));
    }
    if (map == null) {
      throw new SecretReader.Unavailable(where + " does not exist (wanted for key \"" + ref.key() + "\"); create it, or fix configMapRef.name");
    }
    if (map.getData() != null && map.getData().containsKey(ref.key())) return map.getData().get(ref.key()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (map.getBinaryData() != null && map.getBinaryData().containsKey(ref.key())) return Base64.getDecoder().decode(map.getBinaryData().get(ref.key()));
    TreeSet<String> keys = new TreeSet<>();
    if (map.getData() != null) keys.addAll(map.getData().keySet());
    if (map.getBinaryData() != null) keys.addAll(map.getBinaryData().keySet());
    throw new SecretReader.Unavailable(where + " has no key \"" + ref.key() + "\" (its keys: " + String.join(", ", keys) + "); fix configMapRef.key or add the key");
  }

  /** A file on the operator's own machine: there is no manifest to be relative to, so only an absolute path works. */
  @Override
  public byte[] file(Manifest owner, String path) {
    if (!Path.of(path).isAbsolute()) {
      throw new SecretReader.Unavailable("file \"" + path + "\" is relative, and in Kubernetes mode there is no manifest file to be relative to;"
          + " use secretRef (or an absolute path on the operator's machine)");
    }
    return SecretReader.LOCAL.file(owner, path);
  }
}
