package io.openclaw.operator.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Randomised inputs for fuzz tests, reproducible: a fixed seed by default, {@code -Dfuzz.seed=N} for another and
 * {@code -Dfuzz.count=N} to scale every target (the count is a multiplier on each target's default share when given
 * as e.g. {@code 10x}, or a total per target when a plain number). Each input runs on a worker thread with a generous
 * time bound, so a hang fails the test with the input that caused it instead of stalling the build; a target prints
 * its count, seed and duration.
 */
public final class Fuzz implements AutoCloseable {
  public static final long DEFAULT_SEED = 20261130L;
  /** Per input: far above what any input takes, so only a real hang trips it. */
  public static final Duration PER_INPUT = Duration.ofSeconds(10);

  private final String target;
  private final long seed;
  private final int count;
  public final Random random;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(null, r, "fuzz", 64L << 20);
    t.setDaemon(true);
    return t;
  });
  private final long started = System.nanoTime();
  private long slowestNanos;
  private int ran;

  private Fuzz(String target, int defaultCount) {
    this.target = target;
    this.seed = Long.getLong("fuzz.seed", DEFAULT_SEED) ^ target.hashCode();
    this.count = count(defaultCount);
    this.random = new Random(seed);
  }

  public static Fuzz target(String name, int defaultCount) { return new Fuzz(name, defaultCount); }

  private static int count(int defaultCount) {
    String given = System.getProperty("fuzz.count", "");
    if (given.isBlank()) return defaultCount;
    if (given.endsWith("x")) return (int) Math.max(1, Math.round(defaultCount * Double.parseDouble(given.substring(0, given.length() - 1))));
    return Integer.parseInt(given);
  }

  public int count() { return count; }

  public long seed() { return seed; }

  /**
   * Runs one input within {@link #PER_INPUT}; an exception from {@code input} is rethrown as it is (the test's own
   * assertion errors included), a hang fails with {@code describe}.
   */
  public <T> T run(Callable<T> input, Supplier<String> describe) {
    long t0 = System.nanoTime();
    Future<T> f = worker.submit(input);
    try {
      return f.get(PER_INPUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError(target + ": no answer within " + PER_INPUT.toSeconds() + " s for " + describe.get());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error err) throw err;
      if (cause instanceof RuntimeException re) throw re;
      throw new AssertionError(target + ": " + cause + " for " + describe.get(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      slowestNanos = Math.max(slowestNanos, System.nanoTime() - t0);
      ran++;
    }
  }

  /** Prints what ran: the count per target and the seed are what a failure is reproduced with. */
  @Override
  public void close() {
    worker.shutdownNow();
    System.out.printf("fuzz %s: %d inputs, seed %d (-Dfuzz.seed=%d), %d ms, slowest input %d ms%n", target, ran, seed,
        Long.getLong("fuzz.seed", DEFAULT_SEED), Duration.ofNanos(System.nanoTime() - started).toMillis(), Duration.ofNanos(slowestNanos).toMillis());
  }

  // ---- generic mutators

  public <T> T pick(List<T> options) { return options.get(random.nextInt(options.size())); }

  @SafeVarargs
  public final <T> T pick(T... options) { return options[random.nextInt(options.length)]; }

  public boolean chance(double p) { return random.nextDouble() < p; }

  /** One byte-level change: a flip, a deletion, an insertion (NUL, invalid UTF-8, a structural character), a truncation, a splice. */
  public byte[] mutateBytes(byte[] in, byte[] other) {
    byte[] b = in.clone();
    if (b.length == 0) return new byte[] {(byte) random.nextInt(256)};
    int at = random.nextInt(b.length);
    switch (random.nextInt(7)) {
      case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
      case 1 -> b = concat(slice(b, 0, at), slice(b, Math.min(b.length, at + 1 + random.nextInt(8)), b.length));
      case 2 -> b = concat(slice(b, 0, at), new byte[] {pick((byte) 0, (byte) 0xC3, (byte) 0xFF, (byte) 0x80, (byte) '{', (byte) '[', (byte) '"',
          (byte) ':', (byte) '&', (byte) '*', (byte) '\n', (byte) '\\')}, slice(b, at, b.length));
      case 3 -> b = slice(b, 0, at);
      case 4 -> {
        int from = other.length == 0 ? 0 : random.nextInt(other.length);
        b = concat(slice(b, 0, at), slice(other, from, Math.min(other.length, from + 1 + random.nextInt(64))), slice(b, at, b.length));
      }
      case 5 -> {
        int len = Math.min(b.length - at, 1 + random.nextInt(16));
        byte[] chunk = slice(b, at, at + len);
        b = concat(slice(b, 0, at + len), chunk, slice(b, at + len, b.length));
      }
      default -> b[at] = (byte) random.nextInt(256);
    }
    return b;
  }

  public String mutateText(String in, String other) {
    return new String(mutateBytes(in.getBytes(StandardCharsets.UTF_8), other.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /** Random text: ASCII, control characters, look-alike letters, NUL, lone surrogates. */
  public String junk(int maxLength) {
    int n = random.nextInt(maxLength + 1);
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append(switch (random.nextInt(6)) {
        case 0 -> (char) (0x20 + random.nextInt(0x5f));
        case 1 -> (char) random.nextInt(0x20);
        case 2 -> (char) pick('\u017f', '\u212a', '\u0131', '\u0130', '\u0430', '\u043e', '\u00a0', '\u200b', '\ufeff');
        case 3 -> (char) (0xd800 + random.nextInt(0x800));
        case 4 -> (char) random.nextInt(0x10000);
        default -> (char) ('a' + random.nextInt(26));
      });
    }
    return s.toString();
  }

  public static byte[] slice(byte[] b, int from, int to) { return java.util.Arrays.copyOfRange(b, from, to); }

  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) n += p.length;
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
