package io.openclaw.operator.bench;

import io.openclaw.operator.api.GatewayDeploymentStatus;
import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.status.Outcome;
import io.openclaw.operator.status.StatusAssembler;
import io.openclaw.operator.status.StatusWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The size of a GatewayDeployment's status with one entry per Docker host, as the operator's own status code
 * (StatusAssembler, one instance per host, each writing only its entry) builds it: every host Ready with the seed's five
 * components (full container IDs, images, states). Serialized as JSON, the form the API server stores; the figure
 * beside it is etcd's default request limit (1.5 MiB), which caps one object. Prints the size for each host count and
 * the bytes one more host adds, so larger fleets extrapolate linearly.
 *
 * <p>Run through {@code hack/bench status-size [--hosts 100]}. No Docker, no API server.
 */
public final class StatusSizeBench {
  /** etcd's --max-request-bytes default: the largest object the API server can store. */
  static final long ETCD_LIMIT = 1_572_864;

  public static void main(String[] args) {
    int hosts = 100;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--hosts" -> hosts = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (known: --hosts)");
      }
    }
    long one = bytes(1);
    long many = bytes(hosts);
    double perHost = (double) (many - one) / (hosts - 1);
    System.out.printf("GatewayDeployment status, JSON: 1 host %d bytes, %d hosts %d bytes, %.0f bytes per host; 1,000 hosts about %.0f bytes"
        + " (etcd's default limit on one object: %d bytes)%n", one, hosts, many, perHost, one + perHost * 999, ETCD_LIMIT);
    BenchResult.print("k8s.status-bytes", many, "bytes", ETCD_LIMIT, "bytes", "etcd's limit on one object; " + hosts + " hosts, "
        + Math.round(perHost) + " bytes per host, 1000 hosts about " + Math.round(one + perHost * 999) + " bytes");
  }

  /** The status after {@code hosts} instances have each written their entry. */
  static long bytes(int hosts) {
    StatusWriter memory = new Memory();
    ResourceKey key = new ResourceKey("GatewayDeployment", "openclaw", "openclaw");
    Random random = new Random(hosts);
    for (int h = 0; h < hosts; h++) {
      StatusAssembler host = new StatusAssembler(memory, String.format("docker-host-%04d.example.internal", h), Clock.systemUTC());
      List<GatewayDeploymentStatus.Component> components = List.of(
          component(random, "gateway", "openclaw-gateway", "ghcr.io/openclaw/openclaw:2026.9.1"),
          component(random, "socketProxy", "openclaw-socket-proxy", "ghcr.io/tecnativa/docker-socket-proxy:v0.4.2"),
          component(random, "egressProxy", "openclaw-egress-proxy", "openclaw/smokescreen:v0.0.4"),
          component(random, "modelProxy", "openclaw-model-proxy", "ghcr.io/berriai/litellm:main-v1.77.5-stable"),
          component(random, "cache", "openclaw-cache", "redis:7-alpine"));
      host.writeGateway(key, 3, Outcome.ready("all components run and conform"), components, "5/5");
    }
    KindStatus<?> status = memory.read(key).orElseThrow();
    if (status.hosts().size() != hosts) throw new IllegalStateException("expected " + hosts + " host entries, got " + status.hosts().size());
    return Yaml.json(status).getBytes(StandardCharsets.UTF_8).length;
  }

  private static GatewayDeploymentStatus.Component component(Random random, String name, String container, String image) {
    byte[] id = new byte[32];
    random.nextBytes(id);
    return new GatewayDeploymentStatus.Component(name, container, HexFormat.of().formatHex(id), image, "running", 0, true);
  }

  /** Statuses kept in memory, as the API server would keep the one object. */
  private static final class Memory implements StatusWriter {
    private final Map<ResourceKey, KindStatus<?>> statuses = new HashMap<>();

    @Override
    public boolean write(ResourceKey key, KindStatus<?> status) {
      statuses.put(key, status);
      return true;
    }

    @Override
    public Optional<KindStatus<?>> read(ResourceKey key) { return Optional.ofNullable(statuses.get(key)); }

    @Override
    public void remove(ResourceKey key) { statuses.remove(key); }
  }
}
