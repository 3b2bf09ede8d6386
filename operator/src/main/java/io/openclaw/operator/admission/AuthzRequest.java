package io.openclaw.operator.admission;

import io.openclaw.operator.api.Yaml;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request the Docker daemon asks the plugin about (AuthZPlugin.AuthZReq), or its response (AuthZPlugin.AuthZRes):
 * the client's TLS user, the method and URI, the body when the daemon passed one (it passes none over 1 MiB or for a
 * content type other than JSON), and for the response phase its status and body.
 */
public record AuthzRequest(String user, String method, String uri, byte[] body, int responseStatus, byte[] responseBody) {
  private static final Pattern VERSION = Pattern.compile("^/v([0-9]+)\\.([0-9]+)(/.*)$");
  /** The daemon's routes: {@code /v{version:[0-9.]+}/...} beside the unversioned ones (gorilla/mux). */
  private static final Pattern ROUTED_VERSION = Pattern.compile("^/v([0-9.]+)(/.*)$", Pattern.DOTALL);
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:(.*)$", Pattern.DOTALL);

  /** A request the plugin cannot read (not the daemon's JSON, a body that is not base64). */
  public static final class Unreadable extends IllegalArgumentException {
    Unreadable(String message) { super(message); }
  }

  /**
   * Where the daemon routes a request: the API version the URI names ("" for none, the daemon's default), the path
   * without it as the router matches it (percent-decoded, cleaned), and the raw query.
   */
  public record Target(String version, String path, String rawQuery) {}

  public static AuthzRequest parse(byte[] json) {
    JsonNode n;
    try {
      n = Yaml.JSON.readTree(json);
    } catch (RuntimeException | StackOverflowError e) {
      throw new Unreadable("not JSON");
    }
    if (n == null || !n.isObject()) throw new Unreadable("not a JSON object");
    return new AuthzRequest(text(n, "User"), text(n, "RequestMethod"), text(n, "RequestUri"), bytes(n, "RequestBody"),
        n.path("ResponseStatusCode").isIntegralNumber() ? n.path("ResponseStatusCode").asInt(0) : 0, bytes(n, "ResponseBody"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) return "";
    if (!v.isString()) throw new Unreadable(field + " is not a string");
    return v.asString();
  }

  private static byte[] bytes(JsonNode n, String field) {
    String text = text(n, field);
    if (text.isEmpty()) return null;
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new Unreadable(field + " is not base64");
    }
  }

  /** The path with the API version prefix taken off (the query stays). */
  public static String withoutVersion(String uri) {
    Matcher m = VERSION.matcher(uri);
    return m.matches() ? m.group(3) : uri;
  }

  /**
   * The request as Go's HTTP server and the daemon's router see it ({@code r.URL.Path}, not the raw {@code
   * RequestURI} the plugin is given): an absolute-form URI ({@code http://host/v1.41/...}) counts by its path, escapes
   * are decoded ({@code containers%2Fcreate} is {@code containers/create}), and a path that is not clean is judged
   * cleaned (the router redirects it). Empty when Go could not parse it (the daemon answers 400 then).
   */
  public Optional<Target> target() {
    String rest = uri;
    if (!rest.startsWith("/")) {
      Matcher scheme = SCHEME.matcher(rest);
      if (!scheme.matches()) return Optional.empty();
      rest = scheme.group(1);
      if (rest.startsWith("//")) {
        int slash = rest.indexOf('/', 2);
        int query = rest.indexOf('?', 2);
        int end = slash < 0 ? rest.length() : query >= 0 && query < slash ? query : slash;
        rest = rest.substring(end);
        if (rest.startsWith("?")) rest = "/" + rest;
      }
      if (!rest.startsWith("/")) rest = "/" + rest; // an opaque or empty path: the router redirects it
    }
    int q = rest.indexOf('?');
    String rawPath = q < 0 ? rest : rest.substring(0, q);
    String rawQuery = q < 0 ? "" : rest.substring(q + 1);
    Optional<String> decoded = unescape(rawPath, false);
    if (decoded.isEmpty()) return Optional.empty();
    String path = clean(decoded.get());
    Matcher v = ROUTED_VERSION.matcher(path);
    if (v.matches()) return Optional.of(new Target(v.group(1), v.group(2), rawQuery));
    return Optional.of(new Target("", path, rawQuery));
  }

  /** The routed path without version and query; "" when the URI cannot be parsed. */
  public String path() {
    return target().map(Target::path).orElse("");
  }

  /** Whether the URI names an API version below {@code min}, compared as the daemon compares versions. */
  public boolean versionBelow(String min) {
    return target().map(t -> !t.version().isEmpty() && compareVersions(t.version(), min) < 0).orElse(false);
  }

  /** Docker's api/types/versions.compare: dot-separated numbers, a missing or unparsable part counts as 0. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.", -1);
    String[] y = b.split("\\.", -1);
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      long p = i < x.length ? atoi(x[i]) : 0;
      long r = i < y.length ? atoi(y[i]) : 0;
      if (p != r) return p > r ? 1 : -1;
    }
    return 0;
  }

  /** strconv.Atoi as the daemon uses it: out of range saturates, anything else unparsable is 0. */
  private static long atoi(String s) {
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) return 0;
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The query as the daemon's {@code r.Form.Get} reads it: pairs split on {@code &}, the first value of a key wins;
   * a pair with a bad escape or a {@code ;} is dropped (and the daemon then refuses the request).
   */
  public Map<String, String> query() {
    Map<String, String> out = new LinkedHashMap<>();
    Optional<Target> t = target();
    if (t.isEmpty()) return out;
    for (String pair : t.get().rawQuery().split("&", -1)) {
      if (pair.isEmpty() || pair.contains(";")) continue;
      int eq = pair.indexOf('=');
      Optional<String> k = unescape(eq < 0 ? pair : pair.substring(0, eq), true);
      Optional<String> v = unescape(eq < 0 ? "" : pair.substring(eq + 1), true);
      if (k.isPresent() && v.isPresent()) out.putIfAbsent(k.get(), v.get());
    }
    return out;
  }

  /** Whether the query is one Go's ParseQuery reads without error (a bad escape or a {@code ;} is an error). */
  public boolean queryReadable() {
    Optional<Target> t = target();
    if (t.isEmpty()) return false;
    for (String pair : t.get().rawQuery().split("&", -1)) {
      if (pair.contains(";")) return false;
      int eq = pair.indexOf('=');
      if (unescape(eq < 0 ? pair : pair.substring(0, eq), true).isEmpty() || unescape(eq < 0 ? "" : pair.substring(eq + 1), true).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Go's url unescaping: {@code %XX} to its byte, {@code +} to a space in a query; empty on a bad escape. */
  static Optional<String> unescape(String s, boolean query) {
    if (s.indexOf('%') < 0 && !(query && s.indexOf('+') >= 0)) return Optional.of(s);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '%') {
        if (i + 2 >= in.length) return Optional.empty();
        int hi = Character.digit(in[i + 1], 16);
        int lo = Character.digit(in[i + 2], 16);
        if (hi < 0 || lo < 0) return Optional.empty();
        out.write(hi * 16 + lo);
        i += 2;
      } else if (b == '+' && query) {
        out.write(' ');
      } else {
        out.write(b);
      }
    }
    return Optional.of(out.toString(StandardCharsets.UTF_8));
  }

  /** gorilla/mux's cleanPath: path.Clean, keeping a trailing slash. */
  static String clean(String p) {
    if (p.isEmpty()) return "/";
    if (!p.startsWith("/")) p = "/" + p;
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (part.equals("..")) parts.pollLast();
      else parts.addLast(part);
    }
    String cleaned = "/" + String.join("/", parts);
    if (p.endsWith("/") && !cleaned.equals("/")) cleaned += "/";
    return cleaned;
  }

  /** The body as the daemon decodes it into {@code shape}; empty when there is none or the daemon would refuse it. */
  Optional<ObjectNode> decoded(DaemonJson.Struct shape) {
    return DaemonJson.read(body, shape);
  }

  /** A create body as the daemon decodes it (host settings resolved); empty when there is none or it would refuse it. */
  Optional<ObjectNode> decodedCreate() {
    return DaemonJson.readCreate(body);
  }

  /** The body as a JSON object, or empty when there is none or it is not a JSON object. */
  public Optional<JsonNode> json() {
    if (body == null) return Optional.empty();
    try {
      JsonNode n = Yaml.JSON.readTree(body);
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /** The response's body as JSON (the response phase), or empty. */
  public Optional<JsonNode> responseJson() {
    if (responseBody == null) return Optional.empty();
    try {
      return Optional.ofNullable(Yaml.JSON.readTree(responseBody));
    } catch (RuntimeException | StackOverflowError e) {
      return Optional.empty();
    }
  }
}
