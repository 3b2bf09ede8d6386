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

/**
 * One request the Docker daemon asks the plugin about (AuthZPlugin.AuthZReq), or its response (AuthZPlugin.AuthZRes):
 * the client's TLS user, the method and URI, the body when the daemon passed one (it passes none over 1 MiB or for a
 * content type other than JSON), and for the response phase its status and body.
 */
public record AuthzRequest(String user, String method, String uri, byte[] body, int responseStatus, byte[] responseBody) {
  private static final Pattern VERSION = Pattern.compile("^/v([0-9]+)\\.([0-9]+)(/.*)$");

  public static AuthzRequest parse(byte[] json) {
    JsonNode n = Yaml.JSON.readTree(json);
    if (!n.isObject()) throw new IllegalArgumentException("not a JSON object");
    return new AuthzRequest(n.path("User").asString(""), n.path("RequestMethod").asString(""), n.path("RequestUri").asString(""),
        bytes(n.path("RequestBody")), n.path("ResponseStatusCode").asInt(0), bytes(n.path("ResponseBody")));
  }

  private static byte[] bytes(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode() || n.asString("").isEmpty()) return null;
    return Base64.getDecoder().decode(n.asString());
  }

  /** The path with the API version prefix taken off (the query stays). */
  public static String withoutVersion(String uri) {
    Matcher m = VERSION.matcher(uri);
    return m.matches() ? m.group(3) : uri;
  }

  /** The path without version and query. */
  public String path() {
    String p = withoutVersion(uri);
    int q = p.indexOf('?');
    return q < 0 ? p : p.substring(0, q);
  }

  /** The API version the client asked for, as major*1000+minor (1.41 -> 1041); empty when the URI names none. */
  public Optional<Integer> apiVersion() {
    Matcher m = VERSION.matcher(uri);
    return m.matches() ? Optional.of(Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2))) : Optional.empty();
  }

  public Map<String, String> query() {
    Map<String, String> out = new LinkedHashMap<>();
    int q = uri.indexOf('?');
    if (q < 0) return out;
    for (String pair : uri.substring(q + 1).split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  /** The body as a JSON object, or empty when there is none or it is not a JSON object. */
  public Optional<JsonNode> json() {
    if (body == null) return Optional.empty();
    try {
      JsonNode n = Yaml.JSON.readTree(body);
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The response's body as JSON (the response phase), or empty. */
  public Optional<JsonNode> responseJson() {
    if (responseBody == null) return Optional.empty();
    try {
      return Optional.ofNullable(Yaml.JSON.readTree(responseBody));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
