package io.openclaw.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.api.KindStatus;
import io.openclaw.operator.api.ResourceKey;
import io.openclaw.operator.docker.DockerException;
import io.openclaw.operator.host.Ownership;
import io.openclaw.operator.plan.Action;
import io.openclaw.operator.plan.Reason;
import io.openclaw.operator.plan.Schedule;
import io.openclaw.operator.plan.rules.PathCanon;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DesiredStore;
import io.openclaw.operator.source.SecretReader;
import io.openclaw.operator.status.StatusAssembler;
import io.openclaw.operator.status.StatusWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a stage of a schedule is carried out: its chains at once, each chain in order, up to its first failure. */
class StageExecutionTest {
  private static final ResourceKey OWNER = new ResourceKey("GatewayDeployment", "default", "openclaw");
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopPool() { pool.shutdownNow(); }

  private static Action start(String name) { return new Action.StartContainer("id-" + name, name, new Reason("component.not_running", name)); }

  @Test
  void theChainsOfAStageRunAtOnce() {
    // Each action waits until all three have begun: carried out one after another, none would ever finish.
    CountDownLatch allBegun = new CountDownLatch(3);
    Context context = context(action -> {
      allBegun.countDown();
      try {
        if (!allBegun.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the chains ran one after another");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    List<Context.Done> done = context.run(OWNER, new Schedule.Stage("containers", List.of(List.of(start("a")), List.of(start("b")), List.of(start("c")))));

    assertThat(done).extracting(Context.Done::failure).containsOnlyNulls();
    assertThat(done).extracting(d -> d.action().target()).containsExactly("a", "b", "c");
    assertThat(done).allMatch(Context.Done::executed);
  }

  @Test
  void aChainStopsAtItsFirstFailureAndTheOtherChainsGoOn() {
    Set<String> applied = ConcurrentHashMap.newKeySet();
    Context context = context(action -> {
      if (action.target().equals("a1")) throw new DockerException(409, "refused");
      applied.add(action.target());
    });

    List<Context.Done> done = context.run(OWNER, new Schedule.Stage("containers",
        List.of(List.of(start("a1"), start("a2")), List.of(start("b1"), start("b2")))));

    assertThat(applied).containsExactlyInAnyOrder("b1", "b2");
    assertThat(done).extracting(d -> d.action().target()).as("a2 needs a1: never tried").containsExactly("a1", "b1", "b2");
    assertThat(done.get(0).failure()).isInstanceOf(DockerException.class);
  }

  @Test
  void aChainThatWaitsForAnotherStartsWhenThatOneIsDoneNotWhenTheWholeStageIs() {
    // b waits for a: a gives b half a second to begin, which it must not. c waits for nothing and holds until b has
    // run: had b waited for the whole stage (for c), it would never run.
    CountDownLatch bBegun = new CountDownLatch(1);
    List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Context context = context(action -> {
      try {
        switch (action.target()) {
          case "a" -> seen.add(bBegun.await(500, TimeUnit.MILLISECONDS) ? "b began while a ran" : "a done");
          case "b" -> {
            bBegun.countDown();
            seen.add("b done");
          }
          default -> seen.add(bBegun.await(10, TimeUnit.SECONDS) ? "c done" : "b waited for c");
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });

    List<Context.Done> done = context.run(OWNER, new Schedule.Stage("networks and containers",
        List.of(List.of(start("a")), List.of(start("b")), List.of(start("c"))), List.of(Set.of(), Set.of(0), Set.of())));

    assertThat(done).extracting(Context.Done::failure).containsOnlyNulls();
    assertThat(seen).containsExactlyInAnyOrder("a done", "b done", "c done");
  }

  @Test
  void aChainWhosePrerequisiteFailedIsNeverTriedAndTheOthersGoOn() {
    Set<String> applied = ConcurrentHashMap.newKeySet();
    Context context = context(action -> {
      if (action.target().equals("net")) throw new DockerException(500, "refused");
      applied.add(action.target());
    });

    List<Context.Done> done = context.run(OWNER, new Schedule.Stage("networks and containers",
        List.of(List.of(start("net")), List.of(start("on-net")), List.of(start("elsewhere"))), List.of(Set.of(), Set.of(0), Set.of())));

    assertThat(applied).containsExactly("elsewhere");
    assertThat(done).extracting(d -> d.action().target()).as("on-net needs net: never tried").containsExactly("net", "elsewhere");
    assertThat(done.get(0).failure()).isInstanceOf(DockerException.class);
  }

  private Context context(Consumer<Action> apply) {
    Effector effector = new Effector() {
      public void apply(ResourceKey owner, Action action) { apply.accept(action); }

      public void reported(ResourceKey owner, Action action) { }
    };
    Clock clock = Clock.systemUTC();
    return new Context(new DesiredStore(), new NoSource(), new NoHostAccess(), effector, new Recorder(new Metrics("test")), Ownership.none(),
        new StatusAssembler(new NoStatus(), "test", clock), PathCanon.LEXICAL, Path.of("/"), false, clock, Duration.ofMinutes(5),
        Duration.ofMinutes(2), key -> { }, key -> { }, pool);
  }

  private static final class NoSource implements DesiredSource {
    public void start(DesiredStore store) { }

    public StatusWriter statusWriter() { return new NoStatus(); }

    public SecretReader secrets() { return SecretReader.LOCAL; }

    public void close() { }
  }

  private static final class NoStatus implements StatusWriter {
    public boolean write(ResourceKey key, KindStatus<?> status) { return true; }

    public Optional<KindStatus<?>> read(ResourceKey key) { return Optional.empty(); }

    public void remove(ResourceKey key) { }
  }
}
