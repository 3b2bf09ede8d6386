package io.openclaw.operator.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.api.validation.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretReaderTest {
  @TempDir Path dir;

  private Manifest gateway() {
    return new Manifest(new ResourceKey("GatewayDeployment", "default", "openclaw"), null, dir.resolve("gateway.yaml"), null);
  }

  @Test
  void aLocalSecretFileIsReadRelativeToItsManifest() throws IOException {
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/token"), "s3cret");
    assertThat(SecretReader.LOCAL.file(gateway(), "secrets/token")).asString().isEqualTo("s3cret");
  }

  @Test
  void aMissingLocalSecretFileIsNamedWithWhyInWords() {
    assertThatThrownBy(() -> SecretReader.LOCAL.file(gateway(), "secrets/token"))
        .isInstanceOf(SecretReader.Unavailable.class)
        .hasMessage("cannot read " + dir.resolve("secrets/token") + ": no such file");
  }

  @Test
  void aDirectoryWhereTheSecretFileShouldBeIsSaidToBeOne() throws IOException {
    Files.createDirectories(dir.resolve("secrets/token"));
    assertThatThrownBy(() -> SecretReader.LOCAL.file(gateway(), "secrets/token")).hasMessageEndingWith(": it is a directory");
  }
}
