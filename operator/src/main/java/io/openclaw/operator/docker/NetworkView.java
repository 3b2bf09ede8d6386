package io.openclaw.operator.docker;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** One network as inspect reports it, with its driver options and the containers attached to it (id to name). */
public record NetworkView(String id, String name, String driver, boolean internal, Map<String, String> labels,
    Map<String, String> options, Map<String, String> containers) {

  public static NetworkView fromInspect(JsonNode n) {
    java.util.Map<String, String> containers = new java.util.LinkedHashMap<>();
    n.path("Containers").propertyStream().forEach(e -> containers.put(e.getKey(), e.getValue().path("Name").asString("")));
    return new NetworkView(n.path("Id").asString(), n.path("Name").asString(), n.path("Driver").asString(""),
        n.path("Internal").asBoolean(false), ContainerView.stringMap(n.path("Labels")), ContainerView.stringMap(n.path("Options")), containers);
  }
}
