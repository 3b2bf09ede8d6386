package io.openclaw.operator.controller;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

final class OperatorHarnessFiles {
  private OperatorHarnessFiles() {}

  static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
