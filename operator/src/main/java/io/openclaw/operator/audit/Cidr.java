package io.openclaw.operator.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An address range as firewalls write it (an address alone is a /32 or /128); parsed from literals only, never looked up. */
record Cidr(byte[] address, int bits, String text) {
  static final Cidr ANY_V4 = parse("0.0.0.0/0").orElseThrow();
  static final Cidr ANY_V6 = parse("::/0").orElseThrow();

  static Optional<Cidr> parse(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    boolean v4 = addr.matches("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");
    boolean v6 = addr.contains(":") && addr.matches("^[0-9a-fA-F:.]+$");
    if (!v4 && !v6) return Optional.empty();
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    int max = bytes.length * 8;
    int bits;
    try {
      bits = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (bits < 0 || bits > max) return Optional.empty();
    return Optional.of(new Cidr(bytes, bits, t));
  }

  boolean any() { return bits == 0; }

  /** Whether every address of {@code other} lies in this range (same family only). */
  boolean contains(Cidr other) {
    if (other.address.length != address.length || other.bits < bits) return false;
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >> (i % 8);
      if ((address[i / 8] & mask) != (other.address[i / 8] & mask)) return false;
    }
    return true;
  }

  @Override
  public String toString() { return text; }
}
