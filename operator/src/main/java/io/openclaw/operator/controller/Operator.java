package io.openclaw.operator.controller;

import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.source.DesiredSource;
import java.time.Duration;

/** One running operator: the Docker connection, the observed state, the controller. What `run` and the tests start. */
public final class Operator implements AutoCloseable {
  private final DockerApi docker;
  private final ObservedState observed;
  private final Controller controller;
  private final Metrics metrics;

  private Operator(DockerApi docker, ObservedState observed, Controller controller, Metrics metrics) {
    this.docker = docker;
    this.observed = observed;
    this.controller = controller;
    this.metrics = metrics;
  }

  public static Operator start(DesiredSource source, DockerEndpoint endpoint, Controller.Options options, Duration watchdog) throws Exception {
    return start(source, endpoint, options, watchdog, Recorder.EventSink.NONE);
  }

  /** With {@code events} receiving every action from the first reconcile on (Kubernetes mode). */
  public static Operator start(DesiredSource source, DockerEndpoint endpoint, Controller.Options options, Duration watchdog,
      Recorder.EventSink events) throws Exception {
    Metrics metrics = new Metrics();
    DockerApi docker = DockerApi.connect(endpoint);
    ObservedState observed = new ObservedState(docker, endpoint, watchdog, 2);
    Controller controller = new Controller(source, docker, observed, endpoint.hostFilesystem(), metrics, options);
    controller.recorder().events(events);
    try {
      observed.start();
      controller.start();
    } catch (Exception e) {
      // A source that cannot start (no CRDs, no access) must not leave the Docker connection and streams behind.
      controller.close();
      docker.close();
      throw e;
    }
    return new Operator(docker, observed, controller, metrics);
  }

  public Controller controller() { return controller; }

  public ObservedState observed() { return observed; }

  public Metrics metrics() { return metrics; }

  public DockerApi docker() { return docker; }

  public boolean ready() { return controller.ready(); }

  @Override
  public void close() throws Exception {
    controller.close();
    docker.close();
  }
}
