package io.openclaw.operator.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API requests a daemon started with {@code --debug} served, read from its log: "Calling GET /v1.41/containers/...".
 * Mark the log, do something, then count what was served since, by method and path (ids and queries folded).
 */
final class DaemonRequests {
  private static final Pattern CALLING = Pattern.compile("msg=\"Calling (\\S+) (\\S+)\"");
  private final Path log;
  private final long from;

  private DaemonRequests(Path log, long from) {
    this.log = log;
    this.from = from;
  }

  /** Counting starts now. */
  static DaemonRequests mark(Path daemonLog) throws IOException {
    return new DaemonRequests(daemonLog, Files.size(daemonLog));
  }

  /** "GET /containers/{id}/json" to how many times it was served since the mark. */
  Map<String, Integer> byPath() throws IOException {
    Map<String, Integer> byPath = new TreeMap<>();
    for (Matcher c = CALLING.matcher(tail(log, from)); c.find(); ) {
      String path = c.group(2).replaceAll("^/v[0-9.]+", "").replaceAll("\\?.*", "").replaceAll("[0-9a-f]{64}", "{id}");
      byPath.merge(c.group(1) + " " + path, 1, Integer::sum);
    }
    return byPath;
  }

  /** What a log file grew by since {@code from} (its size then). */
  static String tail(Path file, long from) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(from);
      byte[] b = new byte[(int) (f.length() - from)];
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }
}
