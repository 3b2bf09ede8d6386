package io.openclaw.operator.source;

import io.openclaw.operator.api.SecretKeyRef;
import io.openclaw.operator.api.validation.Manifest;

/**
 * Reads a secret's value for delivery into a container. Values are held in memory only as long as a reconcile
 * needs them; the operator writes no copy anywhere.
 */
public interface SecretReader {
  /** Thrown with a message that names the secret but never its value. */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message) { super(message); }
  }

  byte[] file(Manifest owner, String path);

  byte[] secretRef(Manifest owner, SecretKeyRef ref);

  /** A ConfigMap's key (content that is no secret, like an agent's SOUL.md); Kubernetes mode only. */
  default byte[] configMapRef(Manifest owner, io.openclaw.operator.api.ConfigMapKeyRef ref) {
    throw new Unavailable("configMapRef " + ref.name() + "/" + ref.key() + " needs Kubernetes mode (--kubernetes); in manifest-directory mode use file:");
  }

  /** Reads local files relative to the manifest; Kubernetes Secrets are not available without a cluster. */
  SecretReader LOCAL = new SecretReader() {
    @Override
    public byte[] file(Manifest owner, String path) {
      java.nio.file.Path resolved = owner.resolve(path);
      try {
        return java.nio.file.Files.readAllBytes(resolved);
      } catch (java.io.IOException e) {
        // Why, in words a user acts on: the exception class name says little to someone fixing a manifest.
        String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
            : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
            : java.nio.file.Files.isDirectory(resolved) ? "it is a directory"
            : e.getClass().getSimpleName();
        throw new Unavailable("cannot read " + resolved + ": " + why);
      }
    }

    @Override
    public byte[] secretRef(Manifest owner, SecretKeyRef ref) {
      throw new Unavailable("secretRef " + ref.name() + "/" + ref.key() + " needs Kubernetes mode (--kubernetes); in manifest-directory mode use file:");
    }
  };
}
