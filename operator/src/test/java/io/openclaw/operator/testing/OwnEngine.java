package io.openclaw.operator.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A test's own Docker engine (for what would disturb the shared one: a daemon stopped, a stream silenced, an
 * enforced host baseline) and its work directory, under one run id. {@link #close} closes what the test registered
 * with {@link #closeFirst} (operators, proxies; newest first), then the engine with everything in it, then removes the
 * work directory, each step even when the one before failed.
 */
public final class OwnEngine implements AutoCloseable {
  public final String run = "it-" + UUID.randomUUID().toString().substring(0, 6);
  public final TestManifests m = new TestManifests(run);
  public final Path work = Path.of("/tmp", run);
  private final List<AutoCloseable> closeFirst = new ArrayList<>();
  private TestEngine engine;

  /** Starts the engine with these images copied in; the manifest directory is made. */
  public TestEngine start(List<String> images) throws java.io.IOException {
    Files.createDirectories(manifests());
    engine = TestEngine.start(Path.of("/tmp", run + "-engine"), images);
    return engine;
  }

  public TestEngine engine() { return engine; }

  public Path manifests() { return work.resolve("manifests"); }

  /** Writes one manifest file into the manifest directory. */
  public void write(String file, String yaml) throws java.io.IOException {
    Files.writeString(manifests().resolve(file), yaml);
  }

  /** Closed before the engine (newest first). */
  public <T extends AutoCloseable> T closeFirst(T resource) {
    closeFirst.add(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    try {
      closeAll(closeFirst.size() - 1);
    } finally {
      try {
        if (engine != null) engine.close();
      } finally {
        Fixtures.deleteTree(work);
      }
    }
  }

  private void closeAll(int from) throws Exception {
    if (from < 0) return;
    try {
      closeFirst.get(from).close();
    } finally {
      closeAll(from - 1);
    }
  }
}
