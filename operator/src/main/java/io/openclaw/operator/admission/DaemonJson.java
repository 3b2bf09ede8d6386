package io.openclaw.operator.admission;

import io.openclaw.operator.api.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request body read the way the Docker daemon reads it — Go's encoding/json decoding into the API's structs — and
 * given back as a tree with the API's own field names, holding only the fields the judge reads. A plain JSON tree
 * differs from what the daemon acts on wherever a client can say one thing to the plugin and another to the daemon
 * (each seen on Docker 20.10):
 * <ul>
 *   <li>keys match field names case-insensitively ({@code "privileged"}, {@code "PRIVILEGED"}), and {@code ſ} (U+017F)
 *       and the Kelvin sign (U+212A) fold to {@code s} and {@code k} ({@code "Hoſtconfig"});</li>
 *   <li>every key that names a field is applied in order: the last one wins, and a JSON {@code null} leaves a plain
 *       value as it was ({@code "Privileged": true, "privileged": null} is privileged);</li>
 *   <li>a struct given twice is merged, not replaced; a list given twice is decoded element by element into the old
 *       elements (a second {@code "Mounts": [{"Target": "/y"}]} keeps the first mount's source);</li>
 *   <li>only the first JSON value counts: trailing bytes are ignored;</li>
 *   <li>a create's host settings may also stand at the top level (the deprecated embedded HostConfig), used when the
 *       body has no {@code HostConfig} (or a {@code null} one).</li>
 * </ul>
 * A body the daemon would refuse (not JSON, a known field of the wrong type) reads as empty, and so does one whose
 * meaning depends on the daemon's Go version: Go 1.21 and later also fold {@code ı} and {@code İ} to {@code i}.
 */
final class DaemonJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The shape of a Go value, as far as decoding it goes. */
  sealed interface Shape permits Struct, Pointer, Slice, MapOf, Leaf {}

  /** A struct: its fields by JSON name, embedded structs' fields inlined. */
  record Struct(Map<String, Shape> fields) implements Shape {
    static Struct of(Object... nameShape) {
      Map<String, Shape> fields = new LinkedHashMap<>();
      for (int i = 0; i < nameShape.length; i += 2) fields.put((String) nameShape[i], (Shape) nameShape[i + 1]);
      return new Struct(fields);
    }

    Struct with(Struct other) {
      Map<String, Shape> fields = new LinkedHashMap<>(this.fields);
      fields.putAll(other.fields);
      return new Struct(fields);
    }
  }

  /** A pointer: {@code null} makes it nil; anything else decodes into what it points to (allocated when nil). */
  record Pointer(Shape target) implements Shape {}

  /** A slice: {@code null} makes it nil; an array decodes element by element into the old backing array. */
  record Slice(Shape element) implements Shape {}

  /** A map with string keys: {@code null} makes it nil; an object adds or replaces entries, each decoded afresh. */
  record MapOf(Shape value) implements Shape {}

  enum Leaf implements Shape {
    STRING, BOOL, INT,
    /** Docker's strslice.StrSlice: a string or an array of strings, replaced as a whole; {@code null} empties it. */
    STRINGS
  }

  private static final Shape STRINGS = new Slice(Leaf.STRING);

  static final Struct RESOURCES = Struct.of("Memory", Leaf.INT, "MemorySwap", Leaf.INT, "NanoCpus", Leaf.INT, "CpuQuota", Leaf.INT,
      "CpuPeriod", Leaf.INT, "CpuShares", Leaf.INT, "CpusetCpus", Leaf.STRING, "PidsLimit", new Pointer(Leaf.INT),
      "Devices", new Slice(Struct.of("PathOnHost", Leaf.STRING, "PathInContainer", Leaf.STRING, "CgroupPermissions", Leaf.STRING)),
      "DeviceCgroupRules", STRINGS,
      "DeviceRequests", new Slice(Struct.of("Driver", Leaf.STRING, "Count", Leaf.INT, "DeviceIDs", STRINGS,
          "Capabilities", new Slice(STRINGS))));

  static final Struct HOST_CONFIG = Struct.of(
      "Binds", STRINGS,
      "Mounts", new Slice(Struct.of("Type", Leaf.STRING, "Source", Leaf.STRING, "Target", Leaf.STRING, "ReadOnly", Leaf.BOOL)),
      "Tmpfs", new MapOf(Leaf.STRING),
      "VolumesFrom", STRINGS,
      "VolumeDriver", Leaf.STRING,
      "NetworkMode", Leaf.STRING,
      "PortBindings", new MapOf(new Slice(Struct.of("HostIp", Leaf.STRING, "HostPort", Leaf.STRING))),
      "PublishAllPorts", Leaf.BOOL,
      "RestartPolicy", Struct.of("Name", Leaf.STRING, "MaximumRetryCount", Leaf.INT),
      "Privileged", Leaf.BOOL,
      "CapAdd", Leaf.STRINGS,
      "CapDrop", Leaf.STRINGS,
      "SecurityOpt", STRINGS,
      "PidMode", Leaf.STRING,
      "IpcMode", Leaf.STRING,
      "UTSMode", Leaf.STRING,
      "UsernsMode", Leaf.STRING,
      "CgroupnsMode", Leaf.STRING,
      "Cgroup", Leaf.STRING,
      "ReadonlyRootfs", Leaf.BOOL,
      "Init", new Pointer(Leaf.BOOL)).with(RESOURCES);

  static final Struct CONFIG = Struct.of("Image", Leaf.STRING, "User", Leaf.STRING, "Env", STRINGS, "Cmd", Leaf.STRINGS,
      "Entrypoint", Leaf.STRINGS, "Labels", new MapOf(Leaf.STRING));

  static final Struct NETWORKING_CONFIG = Struct.of("EndpointsConfig", new MapOf(new Pointer(Struct.of("Aliases", STRINGS))));

  /**
   * POST /containers/create (runconfig.ContainerConfigWrapper): the embedded Config, the HostConfig, the networking
   * config, and — deprecated but honoured — every HostConfig field again at the top level.
   */
  static final Struct CREATE = CONFIG.with(HOST_CONFIG).with(Struct.of("HostConfig", new Pointer(HOST_CONFIG), "Cpuset", Leaf.STRING,
      "NetworkingConfig", new Pointer(NETWORKING_CONFIG)));

  /** POST /containers/{id}/update (container.UpdateConfig: Resources and RestartPolicy). */
  static final Struct UPDATE = RESOURCES.with(Struct.of("RestartPolicy", Struct.of("Name", Leaf.STRING, "MaximumRetryCount", Leaf.INT)));

  /** POST /containers/{id}/exec (types.ExecConfig). */
  static final Struct EXEC = Struct.of("User", Leaf.STRING, "Privileged", Leaf.BOOL, "Env", STRINGS, "Cmd", Leaf.STRINGS);

  /** POST /networks/{id}/connect and disconnect (types.NetworkConnect, types.NetworkDisconnect). */
  static final Struct NETWORK_CONNECT = Struct.of("Container", Leaf.STRING, "Force", Leaf.BOOL,
      "EndpointConfig", new Pointer(Struct.of("Aliases", STRINGS)));

  private DaemonJson() {}

  /** The body as the daemon would decode it into {@code shape}; empty when it would refuse it or its meaning is ambiguous. */
  static Optional<ObjectNode> read(byte[] body, Struct shape) {
    if (body == null || body.length == 0) return Optional.empty();
    try (JsonParser p = Yaml.JSON.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) return Optional.empty();
      Object value = decode(p, first, shape, null);
      // Only the first value is read (json.Decoder.Decode): what follows it is never looked at.
      return Optional.of((ObjectNode) toTree(shape, value));
    } catch (JacksonException | Refused | StackOverflowError e) {
      return Optional.empty();
    }
  }

  /** A create body as the daemon reads it, with the host settings resolved as runconfig's getHostConfig does. */
  static Optional<ObjectNode> readCreate(byte[] body) {
    return read(body, CREATE).map(DaemonJson::hostConfig);
  }

  private static ObjectNode hostConfig(ObjectNode wrapper) {
    ObjectNode out = NODES.objectNode();
    ObjectNode top = NODES.objectNode();
    wrapper.properties().forEach(e -> {
      if (CONFIG.fields().containsKey(e.getKey())) out.set(e.getKey(), e.getValue());
      else if (HOST_CONFIG.fields().containsKey(e.getKey())) top.set(e.getKey(), e.getValue());
    });
    JsonNode inner = wrapper.get("HostConfig");
    if (inner instanceof ObjectNode hc) {
      // The inner HostConfig wins; these few deprecated top-level values fill it where it leaves them zero.
      for (String field : List.of("Memory", "MemorySwap", "CpuShares")) {
        if (top.path(field).asLong(0) != 0 && hc.path(field).asLong(0) == 0) hc.set(field, top.get(field));
      }
      for (String field : List.of("CpusetCpus", "VolumeDriver")) {
        if (!top.path(field).asString("").isEmpty() && hc.path(field).asString("").isEmpty()) hc.set(field, top.get(field));
      }
      out.set("HostConfig", hc);
    } else if (!top.isEmpty()) {
      out.set("HostConfig", top);
    }
    if (wrapper.has("NetworkingConfig")) out.set("NetworkingConfig", wrapper.get("NetworkingConfig"));
    return out;
  }

  /** The daemon would refuse the body, or reading it depends on the daemon's build. */
  private static final class Refused extends RuntimeException {
    Refused() { super(null, null, false, false); }
  }

  /** A Go slice: its backing array (its capacity) and its length; decoding into it reuses the old elements. */
  private static final class GoSlice {
    final List<Object> backing = new ArrayList<>();
    int length;
  }

  /** Decodes the value at {@code token} into {@code current} (null: the zero value or nil) and returns the result. */
  private static Object decode(JsonParser p, JsonToken token, Shape shape, Object current) {
    if (token == null) throw new Refused();
    if (shape instanceof Pointer ptr) {
      if (token == JsonToken.VALUE_NULL) return null;
      return decode(p, token, ptr.target(), current);
    }
    if (shape instanceof Struct struct) {
      {
        if (token == JsonToken.VALUE_NULL) return current;
        if (token != JsonToken.START_OBJECT) throw new Refused();
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = current == null ? new LinkedHashMap<>() : (Map<String, Object>) current;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
          String field = field(struct, p.currentName());
          JsonToken valueToken = p.nextToken();
          if (field == null) {
            p.skipChildren();
          } else {
            Object value = decode(p, valueToken, struct.fields().get(field), fields.get(field));
            if (value == null) fields.remove(field);
            else fields.put(field, value);
          }
        }
        if (t != JsonToken.END_OBJECT) throw new Refused();
        return fields;
      }
    }
    if (shape instanceof MapOf map) {
      {
        if (token == JsonToken.VALUE_NULL) return null;
        if (token != JsonToken.START_OBJECT) throw new Refused();
        @SuppressWarnings("unchecked")
        Map<String, Object> entries = current == null ? new LinkedHashMap<>() : (Map<String, Object>) current;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
          String key = p.currentName();
          Object value = decode(p, p.nextToken(), map.value(), null);
          entries.put(key, value == null ? Nil.NIL : value);
        }
        if (t != JsonToken.END_OBJECT) throw new Refused();
        return entries;
      }
    }
    if (shape instanceof Slice slice) {
      {
        if (token == JsonToken.VALUE_NULL) return null;
        if (token != JsonToken.START_ARRAY) throw new Refused();
        GoSlice s = current == null ? new GoSlice() : (GoSlice) current;
        int i = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) throw new Refused();
          if (i >= s.backing.size()) {
            // Growing copies the first `length` elements into a new, larger backing array of zero values.
            int capacity = Math.max(s.backing.size() + s.backing.size() / 2, 4);
            List<Object> kept = new ArrayList<>(s.backing.subList(0, s.length));
            s.backing.clear();
            s.backing.addAll(kept);
            while (s.backing.size() < capacity) s.backing.add(null);
          }
          if (i >= s.length) s.length = i + 1;
          Object element = decode(p, t, slice.element(), s.backing.get(i));
          s.backing.set(i, element);
          i++;
        }
        if (i == 0) return new GoSlice(); // an empty array is a new empty slice
        s.length = i;
        return s;
      }
    }
    return leaf(p, token, (Leaf) shape, current);
  }

  private static Object leaf(JsonParser p, JsonToken token, Leaf leaf, Object current) {
    switch (leaf) {
      case STRINGS -> {
        if (token == JsonToken.VALUE_NULL) return null;
        if (token == JsonToken.VALUE_STRING) {
          GoSlice s = new GoSlice();
          s.backing.add(p.getString());
          s.length = 1;
          return s;
        }
        if (token != JsonToken.START_ARRAY) throw new Refused();
        return decode(p, token, STRINGS, null);
      }
      case STRING -> {
        if (token == JsonToken.VALUE_NULL) return current;
        if (token != JsonToken.VALUE_STRING) throw new Refused();
        return p.getString();
      }
      case BOOL -> {
        if (token == JsonToken.VALUE_NULL) return current;
        if (token == JsonToken.VALUE_TRUE) return Boolean.TRUE;
        if (token == JsonToken.VALUE_FALSE) return Boolean.FALSE;
        throw new Refused();
      }
      case INT -> {
        if (token == JsonToken.VALUE_NULL) return current;
        if (token != JsonToken.VALUE_NUMBER_INT) throw new Refused();
        java.math.BigInteger n = p.getBigIntegerValue();
        if (n.bitLength() > 63) throw new Refused();
        return n.longValue();
      }
    }
    throw new IllegalStateException(leaf.name());
  }

  /** A nil pointer stored as a map value (a map keeps the key). */
  private enum Nil { NIL }

  /**
   * The field a key sets, as Go's encoding/json finds it: the exact name, or else the one equal under its case
   * folding. Go 1.19 (Docker 20.10's) folds ASCII letters, {@code ſ} to s and the Kelvin sign to k; Go 1.21 and later
   * also fold {@code ı} and {@code İ} to i — a key that names a field only by those is refused, since which field (if
   * any) it sets depends on how the daemon was built.
   */
  static String field(Struct struct, String key) {
    if (struct.fields().containsKey(key)) return key;
    for (String name : struct.fields().keySet()) {
      if (folds(key, name, false)) return name;
    }
    for (String name : struct.fields().keySet()) {
      if (folds(key, name, true)) throw new Refused();
    }
    return null;
  }

  /** Whether {@code key} folds to the (ASCII) field {@code name}. */
  static boolean folds(String key, String name, boolean dottedI) {
    if (key.length() != name.length()) return false;
    for (int i = 0; i < key.length(); i++) {
      char k = key.charAt(i);
      char n = Character.toLowerCase(name.charAt(i));
      if (Character.toLowerCase(k) == n && k < 0x80) continue;
      if (k == '\u017f' && n == 's') continue;
      if (k == '\u212a' && n == 'k') continue;
      if (dottedI && (k == '\u0131' || k == '\u0130') && n == 'i') continue;
      return false;
    }
    return true;
  }

  /** The decoded value as a tree with the API's field names; zero values where Go would hold them. */
  private static JsonNode toTree(Shape shape, Object value) {
    if (value == Nil.NIL) return NODES.nullNode();
    if (shape instanceof Pointer ptr) return value == null ? NODES.nullNode() : toTree(ptr.target(), value);
    if (shape instanceof Struct struct) {
      {
        ObjectNode o = NODES.objectNode();
        if (value == null) return o;
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) value;
        fields.forEach((k, v) -> o.set(k, toTree(struct.fields().get(k), v)));
        return o;
      }
    }
    if (shape instanceof MapOf map) {
      {
        ObjectNode o = NODES.objectNode();
        if (value == null) return o;
        @SuppressWarnings("unchecked")
        Map<String, Object> entries = (Map<String, Object>) value;
        entries.forEach((k, v) -> o.set(k, toTree(map.value(), v)));
        return o;
      }
    }
    if (shape instanceof Slice slice) {
      {
        ArrayNode a = NODES.arrayNode();
        if (value == null) return a;
        GoSlice s = (GoSlice) value;
        for (int i = 0; i < s.length; i++) a.add(toTree(slice.element(), s.backing.get(i)));
        return a;
      }
    }
    return switch ((Leaf) shape) {
      case STRINGS -> toTree(STRINGS, value);
      case STRING -> NODES.stringNode(value == null ? "" : (String) value);
      case BOOL -> NODES.booleanNode(value != null && (Boolean) value);
      case INT -> NODES.numberNode(value == null ? 0L : (Long) value);
    };
  }
}
