package io.openclaw.operator.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code hack/bench soak [--minutes 10] [--workers 6] [--sample-seconds 15] [--bare-minutes 1] [--at-least 5000]}: first the same churn
 * with no operator for {@code --bare-minutes} (the engine's own ceiling on this machine, the floor for the volume), then
 * the churn of {@link Soak} under the operator for a given time and on until at least so many sandboxes were made
 * (where the engine cannot make 5,000 in 10 minutes, the run takes longer rather than proving less), printing what was missed or harmed and the slopes of
 * the operator process's heap, threads, open files and sockets. Ends with RESULT lines for hack/bench's table.
 */
public final class SoakBench {
  public static void main(String[] args) throws Exception {
    double minutes = 10;
    int workers = 6;
    int sampleSeconds = 15;
    double bareMinutes = 1;
    int atLeast = 5000;
    Path jar = Path.of("operator/target/openclaw-docker-operator.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args[++i]);
        case "--bare-minutes" -> bareMinutes = Double.parseDouble(args[++i]);
        case "--at-least" -> atLeast = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (known: --minutes, --workers, --sample-seconds, --bare-minutes, --at-least, --jar)");
      }
    }
    Soak.Result r;
    double barePerSecond = Double.NaN;
    try (Soak soak = new Soak()) {
      Thread hook = new Thread(() -> {
        try {
          soak.close();
        } catch (Exception e) {
          System.err.println("[soak] cleaning up: " + e);
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      soak.startEngine();
      if (bareMinutes > 0) barePerSecond = soak.bareChurn(Duration.ofMillis((long) (bareMinutes * 60_000)), workers);
      soak.startOperator(jar.toAbsolutePath());
      System.out.printf("churn: %.1f min and at least %d sandboxes, %d workers, a sample every %d s%n", minutes, atLeast, workers, sampleSeconds);
      r = soak.churn(Duration.ofMillis((long) (minutes * 60_000)), atLeast, workers, Duration.ofSeconds(sampleSeconds));
      Soak.print(r);
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    double[] s = Soak.slopes(r.samples());
    double perSecond = r.sandboxes() / (r.took().toMillis() / 1000.0);
    BenchResult.print("soak.volume", perSecond * 600, "sandboxes/10min", barePerSecond * 600, "sandboxes/10min",
        "the same churn with no operator (the engine's ceiling here); " + workers + " workers, " + r.sandboxes() + " sandboxes made");
    BenchResult.print("soak.missed", r.missed().size() + r.harmed().size(), "missed+harmed", r.breaching(), "breaches",
        "of " + r.sandboxes() + " sandboxes in " + Math.round(r.took().toSeconds() / 60.0) + " min");
    BenchResult.print("soak.heap-slope", s[0], "MiB/min", r.samples().get(0).heapMiB(), "MiB", "heap after GC at the start; threads "
        + String.format(java.util.Locale.ROOT, "%+.2f/min, files %+.2f/min, sockets %+.2f/min", s[1], s[2], s[3]));
  }
}
