package io.openclaw.operator.plan.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.docker.ContainerView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bind sources resolved inside a mounted host root (the operator in a container, the host's / at /host): the host's
 * symlinks are followed as the host follows them, never into this process's own filesystem. The temporary directory
 * plays the host's root; its links carry host paths, as links on a real host do.
 */
class PathCanonTest {
  @TempDir Path host;

  @BeforeEach
  void aHostWithLinks() throws IOException {
    // Debian's layout: /var/run is a link to /run, and the socket lives in /run.
    Files.createDirectories(host.resolve("run"));
    Files.createFile(host.resolve("run/docker.sock"));
    Files.createDirectories(host.resolve("var"));
    Files.createSymbolicLink(host.resolve("var/run"), Path.of("/run"));
    // A host whose /etc is a link elsewhere (this process's /etc is a real directory: following it here would stop there).
    Files.createDirectories(host.resolve("private/etc"));
    Files.createSymbolicLink(host.resolve("etc"), Path.of("/private/etc"));
    // A sandbox workspace with a link planted in it that points out, absolutely, and one that climbs out relatively.
    Files.createDirectories(host.resolve("var/lib/openclaw/sandboxes/s1"));
    Files.createSymbolicLink(host.resolve("var/lib/openclaw/sandboxes/s1/escape"), Path.of("/etc"));
    Files.createSymbolicLink(host.resolve("var/lib/openclaw/sandboxes/s1/climb"), Path.of("../../../../../../../../../run"));
    // A relative link that stays inside, and two links that point at each other.
    Files.createDirectories(host.resolve("srv/real-state"));
    Files.createSymbolicLink(host.resolve("srv/state"), Path.of("real-state"));
    Files.createSymbolicLink(host.resolve("loop-a"), Path.of("/loop-b"));
    Files.createSymbolicLink(host.resolve("loop-b"), Path.of("/loop-a"));
    // A directory link to the socket's directory, the way a breach would hide it.
    Files.createSymbolicLink(host.resolve("srv/docker"), Path.of("/var/run"));
  }

  /** The links point at host paths; removed here, so the temporary directory's cleanup has none to warn about. */
  @AfterEach
  void removeTheLinks() throws IOException {
    try (var paths = Files.walk(host)) {
      for (Path p : paths.filter(Files::isSymbolicLink).toList()) Files.delete(p);
    }
  }

  @Test
  void anAbsoluteLinkTargetIsReRootedUnderTheHostRootNotFollowedIntoThisProcesssFilesystem() {
    PathCanon canon = PathCanon.within(host);
    assertThat(canon.canonical("/var/run/docker.sock")).isEqualTo("/run/docker.sock");
    // /etc -> /private/etc exists only on this "host": this process's real /etc would have stopped at /etc/passwd.
    assertThat(canon.canonical("/etc/passwd")).isEqualTo("/private/etc/passwd");
    assertThat(canon.canonical("/var/lib/openclaw/sandboxes/s1/escape/shadow")).isEqualTo("/private/etc/shadow");
    assertThat(PathCanon.LOCAL.canonical(host.resolve("var/lib/openclaw/sandboxes/s1/escape/shadow").toString()))
        .as("the same link followed by this process's filesystem lands in its own /etc: what a container got wrong before")
        .isEqualTo("/etc/shadow");
  }

  @Test
  void dotDotInALinkTargetStopsAtTheHostRoot() {
    assertThat(PathCanon.within(host).canonical("/var/lib/openclaw/sandboxes/s1/climb/docker.sock")).isEqualTo("/run/docker.sock");
  }

  @Test
  void relativeLinksResolveBesideThemselvesAndMissingTailsAreKept() {
    PathCanon canon = PathCanon.within(host);
    assertThat(canon.canonical("/srv/state/sandboxes/new")).isEqualTo("/srv/real-state/sandboxes/new");
    assertThat(canon.canonical("/not/there/yet")).isEqualTo("/not/there/yet");
    assertThat(canon.canonical("/srv/./state/../state/x")).as("the path's own dots are removed lexically, as Docker cleans a bind source")
        .isEqualTo("/srv/real-state/x");
    assertThat(canon.canonical("/")).isEqualTo("/");
    assertThat(canon.resolvesLinks()).isTrue();
  }

  @Test
  void aLinkLoopLeavesThePathLexical() {
    assertThat(PathCanon.within(host).canonical("/loop-a/x")).isEqualTo("/loop-a/x");
  }

  @Test
  void theDockerSocketBehindHostLinksIsFoundOnlyWhenLinksResolveInsideTheHostRoot() {
    List<ContainerView.MountView> mounts = List.of(new ContainerView.MountView("bind", "/srv/docker", "/var/run", true, null));
    assertThat(ContainerChecks.dockerSocketMounts(mounts, PathCanon.within(host))).containsExactly("/srv/docker -> /var/run");
    assertThat(ContainerChecks.dockerSocketMounts(mounts, PathCanon.LEXICAL)).as("lexically, /srv/docker is no socket path").isEmpty();
  }
}
