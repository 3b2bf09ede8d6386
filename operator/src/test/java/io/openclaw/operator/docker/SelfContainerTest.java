package io.openclaw.operator.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelfContainerTest {
  private static final String ID = "ffed1daaf764fc3df1b695fed56a71a69178031f1bacf7628c2af4b6acd2ec3c";

  @Test
  void inAContainerTheIdComesFromTheBindOfEtcHostname() {
    List<String> lines = List.of(
        "453 400 0:52 / / rw,relatime - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X",
        "499 453 254:0 /var/lib/docker/containers/" + ID + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw",
        "500 453 254:0 /var/lib/docker/containers/" + ID + "/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw");
    assertThat(SelfContainer.fromMountinfo(lines)).contains(ID);
  }

  @Test
  void aDataRootOnItsOwnFilesystemShowsTheSameId() {
    assertThat(SelfContainer.fromMountinfo(List.of("99 1 8:1 /containers/" + ID + "/hostname /etc/hostname rw - ext4 /dev/sdb rw")))
        .contains(ID);
  }

  @Test
  void onTheHostContainerMountsElsewhereNameNoSelf() {
    // The host's mount table lists every container's shm: none of them is the operator.
    List<String> lines = List.of("120 30 0:60 / /var/lib/docker/containers/" + ID + "/mounts/shm rw - tmpfs shm rw",
        "25 1 254:0 / / rw,relatime - ext4 /dev/vda rw");
    assertThat(SelfContainer.fromMountinfo(lines)).isEmpty();
  }
}
