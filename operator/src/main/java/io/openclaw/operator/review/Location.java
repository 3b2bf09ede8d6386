package io.openclaw.operator.review;

/** Where a finding is: a file relative to the reviewed folder, and a line (1-based; 0 for the file as a whole). */
record Location(String file, int line) {
  static final Location FOLDER = new Location(".", 0);

  static Location file(String file) { return new Location(file, 0); }

  @Override
  public String toString() { return line > 0 ? file + ":" + line : file; }

  /** Sorts "a.md:9" before "a.md:10", and a file's own findings before its lines. */
  static String sortKey(String object) {
    int colon = object.lastIndexOf(':');
    if (colon > 0 && object.substring(colon + 1).matches("[0-9]{1,9}")) {
      return object.substring(0, colon) + "\u0000" + String.format("%09d", Integer.parseInt(object.substring(colon + 1)));
    }
    return object + "\u0000";
  }
}
