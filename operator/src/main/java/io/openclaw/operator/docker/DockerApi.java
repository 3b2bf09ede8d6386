package io.openclaw.operator.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import io.openclaw.operator.api.Yaml;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Docker Engine API calls the operator makes, over docker-java's transport. Bodies are read and written as
 * JSON trees: the typed docker-java model throws on values it does not know (an unfamiliar capability name would
 * make a container uninspectable), and a security check must see every field exactly as the daemon wrote it.
 */
public final class DockerApi implements Closeable {
  /**
   * Told of each request just before it is sent: the authorization plugin lets the operator's own requests through
   * because they were announced (method, path, SHA-256 of the body), never because of labels.
   */
  @FunctionalInterface
  public interface Announcer {
    void announce(String method, String path, byte[] body);

    Announcer NONE = (method, path, body) -> { };
  }

  private final DockerHttpClient http;
  private volatile Announcer announcer = Announcer.NONE;

  public DockerApi(DockerHttpClient http) {
    this.http = http;
  }

  /** The largest body the daemon passes to an authorization plugin. */
  public static final int PLUGIN_BODY_LIMIT = 1 << 20;

  public Announcer announcer() { return announcer; }

  /** Every request from now on is announced here first. */
  public DockerApi announcing(Announcer announcer) {
    this.announcer = announcer;
    return this;
  }

  public static DockerApi connect(DockerEndpoint endpoint) {
    return new DockerApi(endpoint.requestClient());
  }

  // ---- reads

  public boolean ping() {
    try {
      call("GET", "/_ping", null);
      return true;
    } catch (DockerException e) {
      return false;
    }
  }

  public JsonNode info() { return json("GET", "/info", null); }

  public JsonNode version() { return json("GET", "/version", null); }

  public Optional<ContainerView> inspectContainer(String idOrName) {
    try {
      return Optional.of(ContainerView.fromInspect(json("GET", "/containers/" + enc(idOrName) + "/json", null)));
    } catch (DockerException e) {
      if (e.notFound()) return Optional.empty();
      throw e;
    }
  }

  /** Every container's id (running or not): the list is cheap, inspect gives the rest. */
  public List<ContainerSummary> listContainers() {
    List<ContainerSummary> out = new ArrayList<>();
    for (JsonNode c : json("GET", "/containers/json?all=true", null)) {
      out.add(new ContainerSummary(c.path("Id").asString(), c.path("State").asString(""), c.path("Created").asLong(0),
          c.path("Status").asString("")));
    }
    return out;
  }

  /**
   * One container as the list sees it (served without waiting for the container's lock), or empty: a view that is
   * not {@link ContainerView#inspected()}.
   */
  public Optional<ContainerView> listed(String id) {
    String filter = enc("{\"id\":[\"" + id + "\"]}");
    for (JsonNode c : json("GET", "/containers/json?all=true&filters=" + filter, null)) {
      if (c.path("Id").asString().equals(id)) return Optional.of(ContainerView.fromList(c));
    }
    return Optional.empty();
  }

  /** What the list says of a container: enough to tell whether the cached inspect can still be right. */
  public record ContainerSummary(String id, String state, long created, String status) {}

  public Optional<NetworkView> inspectNetwork(String idOrName) {
    try {
      return Optional.of(NetworkView.fromInspect(json("GET", "/networks/" + enc(idOrName), null)));
    } catch (DockerException e) {
      if (e.notFound()) return Optional.empty();
      throw e;
    }
  }

  public List<NetworkView> listNetworks() {
    List<NetworkView> out = new ArrayList<>();
    for (JsonNode n : json("GET", "/networks", null)) {
      // The list omits attached containers; inspect fills them in.
      inspectNetwork(n.path("Id").asString()).ifPresent(out::add);
    }
    return out;
  }

  public boolean imagePresent(String reference) {
    try {
      call("GET", "/images/" + reference + "/json", null);
      return true;
    } catch (DockerException e) {
      if (e.notFound()) return false;
      throw e;
    }
  }

  /** Pulls an image; the daemon streams progress and reports failure inside the stream, so read it to the end. */
  public void pull(String reference) {
    String repo = reference;
    String tag = "latest";
    int at = reference.indexOf('@');
    int colon = reference.lastIndexOf(':');
    if (at < 0 && colon > reference.lastIndexOf('/')) {
      repo = reference.substring(0, colon);
      tag = reference.substring(colon + 1);
    }
    String path = at >= 0 ? "/images/create?fromImage=" + enc(reference)
        : "/images/create?fromImage=" + enc(repo) + "&tag=" + enc(tag);
    byte[] body = call("POST", path, null);
    for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) continue;
      JsonNode progress = Yaml.JSON.readTree(line);
      if (progress.has("error")) throw new DockerException(500, progress.path("error").asString());
    }
  }

  // ---- containers

  public String createContainer(String name, ObjectNode body) {
    return json("POST", "/containers/create?name=" + enc(name), body).path("Id").asString();
  }

  public void start(String id) { quiet304(() -> call("POST", "/containers/" + enc(id) + "/start", null)); }

  /** Resumes a paused container; one that is not paused (409) needs nothing. */
  public void unpause(String id) {
    try {
      call("POST", "/containers/" + enc(id) + "/unpause", null);
    } catch (DockerException e) {
      if (!e.conflict()) throw e;
    }
  }

  public void restart(String id, int timeoutSeconds) { call("POST", "/containers/" + enc(id) + "/restart?t=" + timeoutSeconds, null); }

  /** Graceful stop; a container already stopped (304) or already gone (404) needs none. */
  public void stop(String id, int timeoutSeconds) {
    try {
      call("POST", "/containers/" + enc(id) + "/stop?t=" + timeoutSeconds, null);
    } catch (DockerException e) {
      if (e.status != 304 && !e.notFound()) throw e;
    }
  }

  /** SIGKILL; a container that is not running (409) or already gone (404) needs no kill. */
  public void kill(String id) {
    try {
      call("POST", "/containers/" + enc(id) + "/kill", null);
    } catch (DockerException e) {
      if (!e.conflict() && !e.notFound()) throw e;
    }
  }

  /**
   * Removes a container (force kills it if it runs) with the anonymous volumes Docker made for it alone (an image's
   * VOLUME, a {@code -v /path}): left behind, a breach's volumes would pile up on the host at every kill. Named volumes
   * stay, and so does an anonymous one another container still uses (the daemon's own rules for {@code v=true}).
   * Already gone, or already being removed, is fine.
   */
  public void remove(String id, boolean force) {
    try {
      call("DELETE", "/containers/" + enc(id) + "?force=" + force + "&v=true", null);
    } catch (DockerException e) {
      boolean inProgress = e.conflict() && String.valueOf(e.getMessage()).contains("already in progress");
      if (!e.notFound() && !inProgress) throw e;
    }
  }

  /** New limits; a container already gone (404) or being removed (the remover won the race) needs none. */
  public void update(String id, ObjectNode limits) {
    try {
      call("POST", "/containers/" + enc(id) + "/update", limits);
    } catch (DockerException e) {
      if (!e.notFound() && !String.valueOf(e.getMessage()).contains("marked for removal")) throw e;
    }
  }

  public void rename(String id, String name) { call("POST", "/containers/" + enc(id) + "/rename?name=" + enc(name), null); }

  /**
   * Writes files (and directories) into a container through the archive upload: never through a file of the
   * operator's own. Missing parent directories are created by the daemon (root, 0755).
   */
  public void putFiles(String id, List<ArchiveFile> files) {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (ArchiveFile f : files) {
        boolean directory = f.content() == null;
        TarArchiveEntry entry = new TarArchiveEntry(f.path().substring(1) + (directory ? "/" : ""));
        entry.setMode((directory ? 040000 : 0100000) | f.mode());
        entry.setUserId(f.uid());
        entry.setGroupId(f.gid());
        entry.setModTime(0);
        if (!directory) entry.setSize(f.content().length);
        out.putArchiveEntry(entry);
        if (!directory) out.write(f.content());
        out.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    request("PUT", "/containers/" + enc(id) + "/archive?path=%2F&noOverwriteDirNonDir=true", tar.toByteArray(),
        "application/x-tar");
  }

  /** A file's content as it is in the container now, or empty if it is not there. */
  public Optional<byte[]> readFile(String id, String path) {
    byte[] tar;
    try {
      tar = call("GET", "/containers/" + enc(id) + "/archive?path=" + enc(path), null);
    } catch (DockerException e) {
      if (e.notFound()) return Optional.empty();
      throw e;
    }
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry entry = in.getNextEntry();
      if (entry == null || !entry.isFile()) return Optional.empty();
      return Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A file (or, with null content, a directory) to upload: absolute path, content, permission bits, owner. */
  public record ArchiveFile(String path, byte[] content, int mode, int uid, int gid) {
    @Override
    public String toString() {
      return path + (content == null ? "/" : " (" + content.length + " bytes)") + " mode " + Integer.toOctalString(mode) + " owner " + uid + ":" + gid;
    }
  }

  /** Runs a command in a running container and returns its exit code and output (stdout and stderr merged). */
  public ExecResult exec(String id, List<String> command) {
    ObjectNode body = Yaml.JSON.createObjectNode();
    body.put("AttachStdout", true).put("AttachStderr", true).put("Tty", true);
    command.forEach(body.putArray("Cmd")::add);
    String execId = json("POST", "/containers/" + enc(id) + "/exec", body).path("Id").asString();
    ObjectNode start = Yaml.JSON.createObjectNode().put("Detach", false).put("Tty", true);
    byte[] output = call("POST", "/exec/" + enc(execId) + "/start", start);
    int exit = json("GET", "/exec/" + enc(execId) + "/json", null).path("ExitCode").asInt(-1);
    return new ExecResult(exit, new String(output, StandardCharsets.UTF_8));
  }

  public record ExecResult(int exitCode, String output) {}

  // ---- networks

  public String createNetwork(ObjectNode body) { return json("POST", "/networks/create", body).path("Id").asString(); }

  public void removeNetwork(String id) {
    try {
      call("DELETE", "/networks/" + enc(id), null);
    } catch (DockerException e) {
      if (!e.notFound()) throw e;
    }
  }

  public void connect(String network, String container, List<String> aliases) {
    ObjectNode body = Yaml.JSON.createObjectNode().put("Container", container);
    if (!aliases.isEmpty()) aliases.forEach(body.putObject("EndpointConfig").putArray("Aliases")::add);
    call("POST", "/networks/" + enc(network) + "/connect", body);
  }

  public void disconnect(String network, String container) {
    try {
      call("POST", "/networks/" + enc(network) + "/disconnect", Yaml.JSON.createObjectNode().put("Container", container).put("Force", true));
    } catch (DockerException e) {
      if (!e.notFound()) throw e;
    }
  }

  // ---- volumes (the operator never removes one; tests clean up theirs)

  public List<String> listVolumes() {
    List<String> out = new ArrayList<>();
    for (JsonNode v : json("GET", "/volumes", null).path("Volumes")) out.add(v.path("Name").asString());
    return out;
  }

  public void removeVolume(String name) {
    try {
      call("DELETE", "/volumes/" + enc(name) + "?force=true", null);
    } catch (DockerException e) {
      if (!e.notFound()) throw e;
    }
  }

  // ---- plumbing

  private JsonNode json(String method, String path, JsonNode body) {
    byte[] bytes = call(method, path, body);
    return bytes.length == 0 ? Yaml.JSON.createObjectNode() : Yaml.JSON.readTree(bytes);
  }

  private byte[] call(String method, String path, JsonNode body) {
    return request(method, path, body == null ? null : Yaml.JSON.writeValueAsBytes(body), "application/json");
  }

  private byte[] request(String method, String path, byte[] body, String contentType) {
    // Announced as an authorization plugin sees it: the daemon forwards only JSON bodies up to 1 MiB (a tar upload
    // reaches the plugin bodiless, so its path and query are all that identify it).
    boolean forwarded = body != null && "application/json".equals(contentType) && body.length <= PLUGIN_BODY_LIMIT;
    announcer.announce(method, path, forwarded ? body : null);
    DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder().method(method).path(path);
    if (body != null) request.bodyBytes(body).putHeader("Content-Type", contentType);
    try (DockerHttpClient.Response response = http.execute(request.build())) {
      byte[] bytes = readAll(response.getBody());
      int status = response.getStatusCode();
      if (status >= 300) throw new DockerException(status, message(status, bytes));
      return bytes;
    } catch (DockerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DockerException.Unavailable("cannot reach the Docker daemon: " + rootMessage(e), e);
    }
  }

  private static byte[] readAll(InputStream in) {
    if (in == null) return new byte[0];
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String message(int status, byte[] body) {
    try {
      JsonNode node = Yaml.JSON.readTree(body);
      if (node.has("message")) return node.path("message").asString();
    } catch (RuntimeException ignored) {
      // not JSON: fall through
    }
    return "HTTP " + status + (body.length == 0 ? "" : ": " + new String(body, StandardCharsets.UTF_8).strip());
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static void quiet304(Runnable call) {
    try {
      call.run();
    } catch (DockerException e) {
      if (e.status != 304) throw e;
    }
  }

  static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

  @Override
  public void close() throws IOException { http.close(); }

}
