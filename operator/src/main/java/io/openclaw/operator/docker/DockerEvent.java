package io.openclaw.operator.docker;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One event from the daemon's stream. For exec events the action carries the command line
 * ("exec_start: sh -c ..."): match on {@link #verb()} and never log the action itself.
 */
public record DockerEvent(String type, String action, String actorId, Map<String, String> attributes, long timeNano) {
  public static DockerEvent fromJson(JsonNode e) {
    return new DockerEvent(e.path("Type").asString(""), e.path("Action").asString(""), e.path("Actor").path("ID").asString(""),
        ContainerView.stringMap(e.path("Actor").path("Attributes")), e.path("timeNano").asLong(0));
  }

  /** The action without any command text: exec_start, exec_die, create, ... */
  public String verb() {
    int colon = action.indexOf(':');
    return colon < 0 ? action : action.substring(0, colon);
  }

  public boolean container() { return type.equals("container"); }

  public boolean network() { return type.equals("network"); }

  /** For network connect/disconnect: the container concerned. */
  public String networkContainer() { return attributes.get("container"); }

  @Override
  public String toString() {
    return type + " " + verb() + " " + (actorId.length() > 12 ? actorId.substring(0, 12) : actorId);
  }
}
