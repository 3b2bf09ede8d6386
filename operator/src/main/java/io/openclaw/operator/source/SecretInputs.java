package io.openclaw.operator.source;

import io.openclaw.operator.api.ConfigSource;
import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.GatewayDeploymentSpec;
import io.openclaw.operator.api.SecretKeyRef;
import io.openclaw.operator.api.SecretMount;
import io.openclaw.operator.api.validation.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a GatewayDeployment reads besides its spec: the Kubernetes Secrets its secretRefs name and the files its
 * {@code file:} entries name (secrets and the base openclaw.json). The sources watch these, so a rotated value reaches
 * the containers without waiting for the resync.
 */
final class SecretInputs {
  private SecretInputs() {}

  /** The names of the Secrets (in the resource's namespace) it reads. */
  static Set<String> secretNames(GatewayDeployment gwd) {
    Set<String> out = new LinkedHashSet<>();
    for (SecretKeyRef ref : refs(gwd)) out.add(ref.name());
    return out;
  }

  /** The local files it reads, resolved as the secret reader resolves them (relative to the manifest's directory). */
  static Set<Path> files(Manifest owner) {
    Set<Path> out = new LinkedHashSet<>();
    GatewayDeploymentSpec spec = owner.as(GatewayDeployment.class).getSpec();
    List<String> files = new ArrayList<>();
    mounts(spec).stream().map(SecretMount::file).forEach(files::add);
    ConfigSource base = spec.gateway().configFrom();
    if (base != null) files.add(base.file());
    for (String f : files) if (f != null && !f.isBlank()) out.add(owner.resolve(f).toAbsolutePath().normalize());
    return out;
  }

  private static List<SecretKeyRef> refs(GatewayDeployment gwd) {
    List<SecretKeyRef> out = new ArrayList<>();
    mounts(gwd.getSpec()).stream().map(SecretMount::secretRef).filter(java.util.Objects::nonNull).forEach(out::add);
    ConfigSource base = gwd.getSpec().gateway().configFrom();
    if (base != null && base.secretRef() != null) out.add(base.secretRef());
    return out;
  }

  private static List<SecretMount> mounts(GatewayDeploymentSpec spec) {
    List<SecretMount> out = new ArrayList<>();
    if (spec.gateway().secrets() != null) out.addAll(spec.gateway().secrets());
    if (spec.modelProxy() != null && spec.modelProxy().secrets() != null) out.addAll(spec.modelProxy().secrets());
    return out;
  }
}
