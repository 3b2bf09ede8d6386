package io.openclaw.operator.status;

import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directory mode: one YAML file per resource under {@code <state-dir>/status/<Kind>/<namespace>/<name>.yaml},
 * outside the manifest directory so that writing status never wakes the manifest watcher. Files are replaced
 * atomically, so a reader never sees half a status.
 */
public final class FileStatusWriter implements StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(FileStatusWriter.class);

  private final Path root;
  private final Map<ResourceKey, String> written = new ConcurrentHashMap<>();

  public FileStatusWriter(Path stateDir) {
    this.root = stateDir.resolve("status");
  }

  public Path fileOf(ResourceKey key) {
    return root.resolve(key.kind()).resolve(key.namespace()).resolve(key.name() + ".yaml");
  }

  @Override
  public boolean write(ResourceKey key, KindStatus<?> status) {
    String text = Yaml.write(Map.of("status", status));
    if (text.equals(written.get(key))) return false;
    Path file = fileOf(key);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      written.put(key, text);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write status " + file, e);
    }
  }

  @Override
  public Optional<KindStatus<?>> read(ResourceKey key) {
    Path file = fileOf(key);
    if (!Files.exists(file) || !StatusTypes.known(key.kind())) return Optional.empty();
    try {
      return StatusTypes.read(key.kind(), Yaml.MAPPER.readTree(Files.readString(file)).path("status"));
    } catch (IOException | RuntimeException e) {
      log.warn("ignoring unreadable status file {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void remove(ResourceKey key) {
    written.remove(key);
    try {
      Files.deleteIfExists(fileOf(key));
    } catch (IOException e) {
      log.warn("cannot remove status {}: {}", fileOf(key), e.getMessage());
    }
  }
}
