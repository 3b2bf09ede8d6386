package io.openclaw.operator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.GatewayDeployment;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.SandboxPolicy;
import io.openclaw.operator.api.Yaml;
import io.openclaw.operator.api.validation.Manifest;
import io.openclaw.operator.docker.ContainerView;
import io.openclaw.operator.docker.HostSnapshot;
import io.openclaw.operator.docker.NetworkView;
import io.openclaw.operator.host.HostView;
import io.openclaw.operator.host.Ownership;
import io.openclaw.operator.plan.HostCapabilities;
import io.openclaw.operator.plan.Labels;
import io.openclaw.operator.plan.SandboxPlanner;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.testing.Containers;
import io.openclaw.operator.testing.Fixtures;
import io.openclaw.operator.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fuzzes the authorization plugin's reading and judging of the daemon's AuthZReq messages, starting from real breaching
 * requests (a privileged create, a Docker socket bind, added capabilities, host network and PID namespaces, a
 * privileged exec, an update raising a sandbox's limits, a sandbox joining a network, reading the model proxy's files,
 * a start with a body through an old API version).
 *
 * <p>Two properties. Every input, however broken (flipped bytes, truncation, splices, wrong JSON types, deep nesting,
 * huge or invalid base64, non-JSON), is answered — parsed or refused as {@link AuthzRequest.Unreadable}, then decided
 * — without any other exception and within {@link Fuzz#PER_INPUT}. And a breaching request changed only in ways that
 * keep its meaning to the daemon is always denied. The oracle is the construction of those changes, each one a fact
 * of how Docker 20.10 reads a request (Go's encoding/json, gorilla/mux, net/http): a key in another case or with
 * Go-folded letters, a duplicate of the breaching key before it with a harmless value, a {@code null} after it (a
 * plain value keeps its value), unknown fields with any values, the host settings hoisted to the top level, the
 * HostConfig split in two (merged), trailing bytes, and every URI the router sends to the same handler.
 */
class AdmissionFuzzTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final String STATE = "/var/lib/openclaw";
  private static final String ROOT = STATE + "/sandboxes";
  private static final String MODEL_PROXY_ID = "5e1f0c2a9b3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdde";
  private static final String SANDBOX_ID = "a9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e";

  private final Map<String, ContainerView> containers = new LinkedHashMap<>();
  private final Ownership ownership = Ownership.none();
  private DesiredStore store;
  private AdmissionJudge judge;

  @BeforeEach
  void host() {
    GatewayDeployment g = Fixtures.resource(GatewayDeployment.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: GatewayDeployment
        metadata: {name: openclaw}
        spec:
          gateway: {image: openclaw:1, user: "1000:1000", stateDir: %s}
          socketProxy: {image: proxy:1}
          modelProxy: {image: litellm:1}
          egressProxy: {image: smokescreen:1, allowlistRef: {name: llm}}
          hostBaseline: {enforcement: enforce}
        """.formatted(STATE));
    SandboxPolicy p = Fixtures.resource(SandboxPolicy.class, """
        apiVersion: hardening.openclaw.io/v1alpha1
        kind: SandboxPolicy
        metadata: {name: sandboxes}
        spec: {gatewayRef: {name: openclaw}, enforcement: enforce, maxConcurrent: 3}
        """);
    store = new DesiredStore();
    store.batch(b -> {
      b.put(ResourceKey.of(g), Manifest.fromCluster(g), 1, List.of());
      b.put(ResourceKey.of(p), Manifest.fromCluster(p), 1, List.of());
    });
    store.markSynced();
    ContainerView modelProxy = Containers.container(MODEL_PROXY_ID, "openclaw-model-proxy").label(Labels.COMPONENT, "modelProxy")
        .network("openclaw-net", List.of()).build();
    containers.put(modelProxy.id(), modelProxy);
    ownership.seed(ResourceKey.of(g), List.of(modelProxy.id()));
    ContainerView sandbox = Containers.openClawSandbox(SANDBOX_ID, STATE, "s", NOW).build();
    containers.put(sandbox.id(), sandbox);
    judge = new AdmissionJudge(this::view, new Announcements(), Set.of());
  }

  private HostView view() {
    NetworkView internal = new NetworkView("net-int", "openclaw-net", "bridge", true, Map.of(), Map.of(), Map.of());
    return new HostView(store, SecretReader.LOCAL, new HostSnapshot(Map.copyOf(containers), Map.of(internal.id(), internal)),
        (id, path) -> java.util.Optional.empty(), ownership, SandboxPlanner.ExecActivity.NONE, Set.of(), judge.admitted(), HostCapabilities.FULL,
        PathCanon.LEXICAL, x -> true, false, NOW);
  }

  // ---- a JSON model that keeps duplicate keys and their order, and knows which objects are Go structs

  /** An object: a Go struct (keys fold) or a map (keys are data: labels, tmpfs paths, networks). */
  record Obj(boolean struct, List<Member> members) {
    static Obj fields(Object... kv) { return of(true, kv); }

    static Obj entries(Object... kv) { return of(false, kv); }

    private static Obj of(boolean struct, Object... kv) {
      List<Member> m = new ArrayList<>();
      for (int i = 0; i < kv.length; i += 2) m.add(new Member((String) kv[i], kv[i + 1]));
      return new Obj(struct, m);
    }

    Obj copy() {
      List<Member> m = new ArrayList<>();
      for (Member x : members) m.add(new Member(x.key, deepCopy(x.value)));
      return new Obj(struct, m);
    }
  }

  record Member(String key, Object value) {}

  record Arr(List<Object> items) {}

  /** Text put into the body as it is (an invalid value, deep nesting). */
  record Raw(String text) {}

  static Object deepCopy(Object v) {
    if (v instanceof Obj o) return o.copy();
    if (v instanceof Arr a) return new Arr(new ArrayList<>(a.items().stream().map(AdmissionFuzzTest::deepCopy).toList()));
    return v;
  }

  static String write(Object v, Fuzz fuzz) {
    StringBuilder out = new StringBuilder();
    write(v, out, fuzz);
    return out.toString();
  }

  private static void write(Object v, StringBuilder out, Fuzz fuzz) {
    if (v instanceof Obj o) {
      out.append('{');
      for (int i = 0; i < o.members().size(); i++) {
        if (i > 0) out.append(fuzz != null && fuzz.chance(0.1) ? " ,\n " : ",");
        Member m = o.members().get(i);
        writeString(m.key(), out, fuzz != null && fuzz.chance(0.05));
        out.append(fuzz != null && fuzz.chance(0.1) ? " : " : ":");
        write(m.value(), out, fuzz);
      }
      out.append('}');
    } else if (v instanceof Arr a) {
      out.append('[');
      for (int i = 0; i < a.items().size(); i++) {
        if (i > 0) out.append(',');
        write(a.items().get(i), out, fuzz);
      }
      out.append(']');
    } else if (v instanceof Raw r) {
      out.append(r.text());
    } else if (v instanceof String s) {
      writeString(s, out, false);
    } else {
      out.append(v);
    }
  }

  /** A JSON string; {@code escapeAll} writes every character as a \\u escape (the decoder unescapes keys first). */
  private static void writeString(String s, StringBuilder out, boolean escapeAll) {
    out.append('"');
    for (char c : s.toCharArray()) {
      if (escapeAll || c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    out.append('"');
  }

  // ---- the seeds: real breaching requests, each with the path to its breaching member and a harmless value for it

  /** A breaching request; {@code path} leads to the breaching member, {@code harmless} is a value that would not breach. */
  record Seed(String name, String method, String uri, Obj body, List<String> path, Object harmless) {
    Seed copy() { return new Seed(name, method, uri, body == null ? null : body.copy(), path, harmless); }
  }

  private static Obj create(Object... hostConfig) {
    return Obj.fields("Image", "busybox:latest", "Cmd", new Arr(List.of("sleep", "infinity")), "Labels", Obj.entries("app", "x"),
        "HostConfig", Obj.fields(hostConfig), "NetworkingConfig", Obj.fields("EndpointsConfig", Obj.entries()));
  }

  private static Obj sandboxCreate(Object... extra) {
    List<Object> hc = new ArrayList<>(List.of("Init", true, "ReadonlyRootfs", true, "NetworkMode", "none", "CapDrop", new Arr(List.of("ALL")),
        "SecurityOpt", new Arr(List.of("no-new-privileges")), "Memory", 1073741824L, "MemorySwap", 1073741824L, "NanoCpus", 1000000000L,
        "PidsLimit", 512L, "Binds", new Arr(List.of(ROOT + "/s:/workspace"))));
    hc.addAll(List.of(extra));
    return Obj.fields("Image", "openclaw-sandbox:bookworm-slim", "Labels", Obj.entries("openclaw.sandbox", "1", "openclaw.sessionKey", "agent:main:s"),
        "HostConfig", Obj.fields(hc.toArray()));
  }

  static List<Seed> seeds() {
    String create = "/v1.41/containers/create?name=fz";
    List<String> hc = List.of("HostConfig");
    return List.of(
        new Seed("privileged", "POST", create, create("Memory", 0L, "Privileged", true), path(hc, "Privileged"), false),
        new Seed("docker.sock bind", "POST", create, create("Binds", new Arr(List.of("/var/run/docker.sock:/var/run/docker.sock"))),
            path(hc, "Binds"), new Arr(List.of())),
        new Seed("docker.sock mount", "POST", create, create("Mounts", new Arr(List.of(Obj.fields("Type", "bind", "Source", "/var/run/docker.sock",
            "Target", "/s", "ReadOnly", true)))), path(hc, "Mounts"), new Arr(List.of())),
        new Seed("cap_add", "POST", create, create("CapAdd", new Arr(List.of("SYS_ADMIN"))), path(hc, "CapAdd"), new Arr(List.of())),
        new Seed("host network", "POST", create, create("NetworkMode", "host"), path(hc, "NetworkMode"), "bridge"),
        new Seed("host pid", "POST", create, create("PidMode", "host"), path(hc, "PidMode"), ""),
        new Seed("seccomp unconfined", "POST", create, create("SecurityOpt", new Arr(List.of("seccomp=unconfined"))), path(hc, "SecurityOpt"),
            new Arr(List.of())),
        new Seed("sandbox privileged", "POST", create, sandboxCreate("Privileged", true), path(hc, "Privileged"), false),
        new Seed("sandbox network", "POST", create, sandboxCreate("NetworkMode", "bridge"), path(hc, "NetworkMode"), "none"),
        new Seed("privileged exec", "POST", "/v1.41/containers/" + SANDBOX_ID + "/exec", Obj.fields("Cmd", new Arr(List.of("sh")), "Privileged", true),
            List.of("Privileged"), false),
        new Seed("update raises memory", "POST", "/v1.41/containers/" + SANDBOX_ID + "/update", Obj.fields("Memory", 8589934592L, "MemorySwap", -1L),
            List.of("Memory"), 536870912L),
        new Seed("sandbox joins a network", "POST", "/v1.41/networks/bridge/connect", Obj.fields("Container", SANDBOX_ID), List.of("Container"),
            "nobody"),
        new Seed("model proxy's files", "GET", "/v1.41/containers/" + MODEL_PROXY_ID + "/archive?path=%2Frun%2Fsecrets", null, List.of(), null),
        new Seed("start with a body through API 1.23", "POST", "/v1.23/containers/" + SANDBOX_ID + "/start",
            Obj.fields("Privileged", true, "CapAdd", new Arr(List.of("SYS_ADMIN"))), List.of(), null));
  }

  private static List<String> path(List<String> parent, String key) {
    List<String> p = new ArrayList<>(parent);
    p.add(key);
    return p;
  }

  // ---- meaning-keeping mutations (the oracle: each leaves the request breaching, as the daemon reads it)

  /** A key the daemon reads as the same field: random case, ſ for s, the Kelvin sign for k. */
  static String fold(String key, Fuzz fuzz) {
    StringBuilder s = new StringBuilder();
    for (char c : key.toCharArray()) {
      if ((c == 's' || c == 'S') && fuzz.chance(0.3)) s.append('\u017f');
      else if ((c == 'k' || c == 'K') && fuzz.chance(0.3)) s.append('\u212a');
      else if (Character.isLetter(c)) s.append(fuzz.chance(0.5) ? Character.toUpperCase(c) : Character.toLowerCase(c));
      else s.append(c);
    }
    return s.toString();
  }

  /** Every struct key along the way in another case; map keys (labels) are data and stay. */
  static void foldKeys(Obj o, Fuzz fuzz) {
    for (int i = 0; i < o.members().size(); i++) {
      Member m = o.members().get(i);
      if (o.struct() && fuzz.chance(0.5)) o.members().set(i, m = new Member(fold(m.key(), fuzz), m.value()));
      if (m.value() instanceof Obj child) foldKeys(child, fuzz);
      if (m.value() instanceof Arr a) a.items().forEach(x -> { if (x instanceof Obj c) foldKeys(c, fuzz); });
    }
  }

  /** The object holding the breaching member, found by folded keys (the last match, as the daemon applies it). */
  static Obj parentOf(Obj body, List<String> path) {
    Obj o = body;
    for (String key : path.subList(0, path.size() - 1)) {
      Obj next = null;
      for (Member m : o.members()) if (DaemonJson.folds(m.key(), key, false) && m.value() instanceof Obj c) next = c;
      if (next == null) return null;
      o = next;
    }
    return o;
  }

  /** The member that sets the field last: a later {@code null} leaves a plain value as it was, so it does not count. */
  static int indexOf(Obj o, String key) {
    int at = -1;
    for (int i = 0; i < o.members().size(); i++) {
      Member m = o.members().get(i);
      if (DaemonJson.folds(m.key(), key, false) && !(m.value() instanceof Raw r && r.text().equals("null"))) at = i;
    }
    return at;
  }

  /** Random JSON no field reads: keys with an underscore fold to no field of the API. */
  static Object junkValue(Fuzz fuzz, int depth) {
    return switch (fuzz.random.nextInt(depth > 3 ? 4 : 7)) {
      case 0 -> fuzz.junk(40);
      case 1 -> fuzz.random.nextLong();
      case 2 -> fuzz.random.nextBoolean();
      case 3 -> new Raw("null");
      case 4 -> {
        List<Object> kv = new ArrayList<>();
        for (int i = fuzz.random.nextInt(4); i > 0; i--) {
          kv.add("x_" + fuzz.junk(8));
          kv.add(junkValue(fuzz, depth + 1));
        }
        yield Obj.fields(kv.toArray());
      }
      case 5 -> {
        int depthOfNesting = 50 + fuzz.random.nextInt(100);
        yield new Raw("[".repeat(depthOfNesting) + "]".repeat(depthOfNesting));
      }
      default -> new Arr(new ArrayList<>(List.of(junkValue(fuzz, depth + 1), fuzz.junk(10))));
    };
  }

  /** A seed being changed: its request, and what was done to it (for the failure message). */
  static final class Case {
    Seed seed;
    String uri;
    boolean trailing;
    final List<String> done = new ArrayList<>();

    Case(Seed seed) {
      this.seed = seed;
      this.uri = seed.uri();
    }
  }

  /** One to four meaning-keeping changes. */
  static Case keepMeaning(Seed seed, Fuzz fuzz) {
    Case c = new Case(seed);
    for (int n = 1 + fuzz.random.nextInt(4); n > 0; n--) {
      Seed s = c.seed;
      Obj parent = s.body() == null || s.path().isEmpty() ? null : parentOf(s.body(), s.path());
      String field = s.path().isEmpty() ? null : s.path().get(s.path().size() - 1);
      int at = parent == null ? -1 : indexOf(parent, field);
      switch (fuzz.random.nextInt(8)) {
        case 0 -> {
          if (s.body() == null) continue;
          foldKeys(s.body(), fuzz);
          c.done.add("keys folded");
        }
        case 1 -> {
          if (at < 0) continue;
          parent.members().add(fuzz.random.nextInt(at + 1), new Member(fold(field, fuzz), deepCopy(s.harmless())));
          c.done.add("harmless duplicate before");
        }
        case 2 -> {
          Object v = at < 0 ? null : parent.members().get(at).value();
          if (!(v instanceof String || v instanceof Boolean || v instanceof Long)) continue;
          parent.members().add(at + 1, new Member(fold(field, fuzz), new Raw("null")));
          c.done.add("null after");
        }
        case 3 -> {
          if (s.body() == null) continue;
          Obj target = parent != null && fuzz.chance(0.5) ? parent : s.body();
          target.members().add(fuzz.random.nextInt(target.members().size() + 1), new Member("x_" + fuzz.junk(12), junkValue(fuzz, 0)));
          c.done.add("unknown field");
        }
        case 4 -> {
          // The host settings at the top level, with no HostConfig (or a null one): the daemon's deprecated form.
          if (s.body() == null || s.path().size() != 2 || !s.uri().contains("/containers/create")) continue;
          if (s.body().members().stream().filter(m -> DaemonJson.folds(m.key(), "HostConfig", false)).count() != 1) continue;
          Obj hc = (Obj) s.body().members().remove(indexOf(s.body(), "HostConfig")).value();
          s.body().members().addAll(hc.members());
          if (fuzz.chance(0.5)) {
            s.body().members().add(fuzz.random.nextInt(s.body().members().size() + 1), new Member(fold("HostConfig", fuzz), new Raw("null")));
          }
          c.seed = new Seed(s.name(), s.method(), s.uri(), s.body(), s.path().subList(1, 2), s.harmless());
          c.done.add("hoisted to the top level");
        }
        case 5 -> {
          // The HostConfig split in two: the daemon decodes both into one struct.
          if (parent == null || s.path().size() != 2 || parent.members().size() < 2) continue;
          if (s.body().members().stream().filter(m -> DaemonJson.folds(m.key(), "HostConfig", false)).count() != 1) continue;
          int hcAt = indexOf(s.body(), "HostConfig");
          Obj second = Obj.fields();
          for (int i = parent.members().size() - 1; i >= 0; i--) {
            // Every member naming the breaching field stays, in order: which of them is last decides.
            if (!DaemonJson.folds(parent.members().get(i).key(), field, false) && fuzz.chance(0.5)) second.members().add(0, parent.members().remove(i));
          }
          s.body().members().add(hcAt + (fuzz.chance(0.5) ? 0 : 1), new Member(fold("HostConfig", fuzz), second));
          c.done.add("HostConfig split in two");
        }
        case 6 -> {
          c.uri = sameRoute(c.uri, fuzz);
          c.done.add("uri " + c.uri);
        }
        default -> {
          if (s.body() == null) continue;
          c.trailing = true;
          c.done.add("trailing bytes");
        }
      }
    }
    return c;
  }

  /**
   * A URI the daemon routes to the same handler with the same meaning: another spelling of the version (or none,
   * unless the seed relies on an old one), escapes in the path, an absolute-form target, an extra query parameter.
   */
  static String sameRoute(String uri, Fuzz fuzz) {
    String origin = "";
    java.util.regex.Matcher absolute = java.util.regex.Pattern.compile("^([a-z]+://[^/]*)(/.*)$").matcher(uri);
    if (absolute.matches()) {
      origin = absolute.group(1);
      uri = absolute.group(2);
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q);
    java.util.regex.Matcher v = java.util.regex.Pattern.compile("^/v([0-9.]+)(/.*)$").matcher(path);
    if (v.matches()) {
      String version = v.group(1);
      boolean old = AuthzRequest.compareVersions(version, "1.24") < 0;
      String rest = v.group(2);
      path = switch (fuzz.random.nextInt(4)) {
        case 0 -> "/v" + version + ".0" + rest;
        case 1 -> "/v" + version + "." + rest;
        case 2 -> old ? "/v1.23.9" + rest : rest;
        default -> "/v0" + version + rest;
      };
    }
    for (String id : List.of(MODEL_PROXY_ID, SANDBOX_ID)) {
      // The daemon takes any unique prefix of an id.
      if (path.contains(id) && fuzz.chance(0.5)) path = path.replace(id, id.substring(0, 1 + fuzz.random.nextInt(id.length())));
    }
    StringBuilder escaped = new StringBuilder(path.substring(0, 1));
    for (char c : path.substring(1).toCharArray()) {
      escaped.append(c < 0x80 && c != '%' && fuzz.chance(0.15) ? String.format("%%%02X", (int) c) : String.valueOf(c));
    }
    path = escaped.toString();
    if (fuzz.chance(0.3)) query = (query.isEmpty() ? "?" : query + "&") + "x_fuzz=" + fuzz.random.nextInt(100);
    if (origin.isEmpty() && fuzz.chance(0.3)) origin = fuzz.pick("http://docker", "http://localhost:2375", "unix://");
    return origin + path + query;
  }

  static byte[] envelope(String method, String uri, byte[] body) {
    ObjectNode r = Yaml.JSON.createObjectNode().put("User", "").put("UserAuthNMethod", "").put("RequestMethod", method).put("RequestUri", uri);
    if (body != null) r.put("RequestBody", Base64.getEncoder().encodeToString(body));
    r.putObject("RequestHeaders").put("Content-Type", "application/json");
    return Yaml.JSON.writeValueAsBytes(r);
  }

  private AdmissionJudge.Decision decide(byte[] envelope) {
    return judge.decide(AuthzRequest.parse(envelope));
  }

  // ---- the properties

  @Test
  void theSeedsAreBreachesAndTheirHarmlessFormsAreAllowed() {
    for (Seed s : seeds()) {
      byte[] body = s.body() == null ? null : write(s.body(), null).getBytes(StandardCharsets.UTF_8);
      assertThat(decide(envelope(s.method(), s.uri(), body)).allow()).as(s.name()).isFalse();
    }
    // Without them the oracle would be vacuous: a judge denying everything passes it.
    assertThat(decide(envelope("POST", "/v1.41/containers/create?name=fz", write(create("Memory", 0L), null).getBytes(StandardCharsets.UTF_8))).allow())
        .isTrue();
    assertThat(decide(envelope("POST", "/v1.41/containers/create?name=fz", write(sandboxCreate(), null).getBytes(StandardCharsets.UTF_8))).allow())
        .isTrue();
    assertThat(decide(envelope("POST", "/v1.41/containers/" + SANDBOX_ID + "/exec", "{\"Cmd\": [\"sh\"]}".getBytes(StandardCharsets.UTF_8))).allow())
        .isTrue();
  }

  @Test
  void aBreachingRequestChangedOnlyInWaysTheDaemonIgnoresIsAlwaysDenied() {
    List<Seed> seeds = seeds();
    try (Fuzz fuzz = Fuzz.target("admission: meaning-keeping mutations of breaching requests", 6000)) {
      for (int i = 0; i < fuzz.count(); i++) {
        Case c = keepMeaning(fuzz.pick(seeds).copy(), fuzz);
        Seed s = c.seed;
        String text = s.body() == null ? null : write(s.body(), fuzz) + (c.trailing ? " " + fuzz.junk(20) : "");
        byte[] envelope = envelope(s.method(), c.uri, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        String what = s.name() + " " + c.done + ": " + s.method() + " " + c.uri + " " + text;
        AdmissionJudge.Decision d = fuzz.run(() -> decide(envelope), () -> what);
        assertThat(d.allow()).as("allowed: %s", what).isFalse();
      }
    }
  }

  @Test
  void anyInputIsAnsweredWithoutAnEscapedExceptionOrAHang() {
    List<Seed> seeds = seeds();
    try (Fuzz fuzz = Fuzz.target("admission: broken requests", 4000)) {
      for (int i = 0; i < fuzz.count(); i++) {
        Seed s = fuzz.pick(seeds).copy();
        Seed other = fuzz.pick(seeds);
        String body = s.body() == null ? "" : write(s.body(), fuzz);
        String otherBody = other.body() == null ? "{}" : write(other.body(), fuzz);
        String uri = s.uri();
        String method = s.method();
        byte[] envelope;
        switch (fuzz.random.nextInt(9)) {
          case 0, 1, 2 -> {
            for (int n = 1 + fuzz.random.nextInt(6); n > 0; n--) body = fuzz.mutateText(body, otherBody);
            envelope = envelope(method, uri, body.getBytes(StandardCharsets.UTF_8));
          }
          case 3 -> {
            // Every member's value replaced by a value of another JSON type, at any depth.
            Obj b = s.body() == null ? Obj.fields("Privileged", true) : s.body();
            retype(b, fuzz);
            envelope = envelope(method, uri, write(b, fuzz).getBytes(StandardCharsets.UTF_8));
          }
          case 4 -> {
            if (fuzz.chance(0.7)) {
              envelope = envelope(method, uri, ("{\"Image\":\"" + fuzz.junk(5000) + "\"}").getBytes(StandardCharsets.UTF_8));
              break;
            }
            String huge = switch (fuzz.random.nextInt(4)) {
              case 0 -> "[".repeat(100_000);
              case 1 -> "{\"HostConfig\":".repeat(20_000) + "{}" + "}".repeat(20_000);
              case 2 -> "{\"Image\":\"" + "x".repeat(2_000_000) + "\",\"HostConfig\":{\"Privileged\":true}}";
              default -> "{" + "\"k".repeat(1) + "x".repeat(500_000) + "\":1}";
            };
            envelope = envelope(method, uri, huge.getBytes(StandardCharsets.UTF_8));
          }
          case 5 -> {
            for (int n = 1 + fuzz.random.nextInt(4); n > 0; n--) uri = fuzz.mutateText(uri, "%2e%2e/../%zz%00?;&=#//v1.2.3.4");
            envelope = envelope(fuzz.pick(method, "post", "DELETE", "HEAD", fuzz.junk(6)), uri, body.getBytes(StandardCharsets.UTF_8));
          }
          case 6 -> {
            // The envelope itself broken: wrong types, bad base64, byte damage.
            ObjectNode e = (ObjectNode) Yaml.JSON.readTree(envelope(method, uri, body.getBytes(StandardCharsets.UTF_8)));
            String field = fuzz.pick("User", "RequestMethod", "RequestUri", "RequestBody", "RequestHeaders", "ResponseStatusCode", "ResponseBody");
            switch (fuzz.random.nextInt(5)) {
              case 0 -> e.put(field, fuzz.random.nextInt());
              case 1 -> e.putArray(field).add(1);
              case 2 -> e.putObject(field).put("a", "b");
              case 3 -> e.put(field, fuzz.junk(200));
              default -> e.remove(field);
            }
            envelope = Yaml.JSON.writeValueAsBytes(e);
          }
          case 7 -> envelope = fuzz.mutateBytes(envelope(method, uri, body.getBytes(StandardCharsets.UTF_8)), otherBody.getBytes(StandardCharsets.UTF_8));
          default -> {
            byte[] junk = new byte[fuzz.random.nextInt(4096)];
            fuzz.random.nextBytes(junk);
            envelope = envelope(method, uri, junk);
          }
        }
        byte[] input = envelope;
        String what = new String(input, 0, Math.min(input.length, 600), StandardCharsets.UTF_8);
        fuzz.run(() -> {
          AuthzRequest r;
          try {
            r = AuthzRequest.parse(input);
          } catch (AuthzRequest.Unreadable e) {
            return null; // the plugin's own refusal: Admission answers it with a denial
          }
          AdmissionJudge.Decision d = judge.decide(r);
          assertThat(d.message()).as(what).isNotNull();
          judge.responded(r);
          return d;
        }, () -> what);
      }
    }
  }

  private static void retype(Obj o, Fuzz fuzz) {
    for (int i = 0; i < o.members().size(); i++) {
      Member m = o.members().get(i);
      if (m.value() instanceof Obj child && fuzz.chance(0.6)) {
        retype(child, fuzz);
      } else if (fuzz.chance(0.5)) {
        o.members().set(i, new Member(m.key(), fuzz.pick(new Raw("\"true\""), new Raw("1.5"), new Raw("-1"), new Raw("1e400"),
            new Raw("99999999999999999999999"), new Raw("[]"), new Raw("{}"), new Raw("null"), new Raw("[null]"), new Raw("[1,{}]"),
            new Raw("false"), new Raw("\"\\u0000\""))));
      }
    }
  }
}
