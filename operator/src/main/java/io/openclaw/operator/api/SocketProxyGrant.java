package io.openclaw.operator.api;

/**
 * The permission variables Tecnativa's docker-socket-proxy knows (v0.4: API sections plus the ALLOW_* verbs).
 * BUILD, SECRETS and SWARM exist so that a manifest naming them is rejected with a precise message.
 */
public enum SocketProxyGrant {
  AUTH, BUILD, COMMIT, CONFIGS, CONTAINERS, DISTRIBUTION, EVENTS, EXEC, GRPC, IMAGES, INFO, NETWORKS, NODES,
  PING, PLUGINS, POST, SECRETS, SERVICES, SESSION, SWARM, SYSTEM, TASKS, VERSION, VOLUMES,
  ALLOW_START, ALLOW_STOP, ALLOW_RESTARTS, ALLOW_KILL, ALLOW_DELETE;

  /** Never allowed: image builds run arbitrary code as root, secrets and swarm reach beyond this host. */
  public static final java.util.Set<SocketProxyGrant> FORBIDDEN = java.util.EnumSet.of(BUILD, SECRETS, SWARM);
}
