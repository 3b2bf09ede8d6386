package io.openclaw.operator.runtime;

import io.openclaw.operator.admission.Admission;
import io.openclaw.operator.admission.AdmissionJudge;
import io.openclaw.operator.admission.Announcements;
import io.openclaw.operator.controller.Controller;
import io.openclaw.operator.controller.Metrics;
import io.openclaw.operator.controller.ObservedState;
import io.openclaw.operator.controller.Recorder;
import io.openclaw.operator.docker.DockerApi;
import io.openclaw.operator.docker.DockerEndpoint;
import io.openclaw.operator.source.DesiredSource;
import io.openclaw.operator.source.DesiredStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** One running operator: the Docker connection, the observed state, the controller. What `run` and the tests start. */
public final class Operator implements AutoCloseable {
  private final DockerApi docker;
  private final ObservedState observed;
  private final Controller controller;
  private final Metrics metrics;
  private final Admission admission;

  private Operator(DockerApi docker, ObservedState observed, Controller controller, Metrics metrics, Admission admission) {
    this.docker = docker;
    this.observed = observed;
    this.controller = controller;
    this.metrics = metrics;
    this.admission = admission;
  }

  /** Where the authorization plugin listens, and whose TLS requests are the operator's own (a remote operator's). */
  public record AdmissionOptions(Path socket, Set<String> trustedUsers) {}

  public static Operator start(DesiredSource source, DockerEndpoint endpoint, Controller.Options options, Duration watchdog) throws Exception {
    return start(source, endpoint, options, watchdog, Recorder.EventSink.NONE, null);
  }

  /**
   * With {@code events} receiving every action from the first reconcile on (Kubernetes mode), and, when
   * {@code admission} is given, the authorization plugin served from the same memory before anything else starts: the
   * daemon may be waiting on it, and it answers before the loop has even reached Docker.
   */
  public static Operator start(DesiredSource source, DockerEndpoint endpoint, Controller.Options options, Duration watchdog,
      Recorder.EventSink events, AdmissionOptions admission) throws Exception {
    return start(source, endpoint, options, watchdog, events, admission, true);
  }

  /**
   * The authorization plugin alone ({@code admission --kubernetes}): the host and the desired state followed from memory
   * as {@code run} follows them, nothing reconciled; the remote operator's requests pass by its TLS user.
   */
  public static Operator admissionOnly(DesiredSource source, DockerEndpoint endpoint, Controller.Options options, Duration watchdog,
      AdmissionOptions admission) throws Exception {
    return start(source, endpoint, options, watchdog, Recorder.EventSink.NONE, admission, false);
  }

  private static Operator start(DesiredSource source, DockerEndpoint endpoint, Controller.Options options, Duration watchdog,
      Recorder.EventSink events, AdmissionOptions admission, boolean acting) throws Exception {
    Metrics metrics = new Metrics(options.version());
    DockerApi docker = DockerApi.connect(endpoint);
    ObservedState observed = new ObservedState(docker, endpoint, watchdog, 2);
    Admission plugin = null;
    // The operator's own requests pass the plugin because each is announced just before it is sent.
    Announcements announcements = new Announcements();
    if (admission != null) docker.announcing(announcements);
    Controller controller = new Controller(source, docker, observed, metrics, options);
    controller.recorder().events(events);
    try {
      if (admission != null) {
        AdmissionJudge judge = new AdmissionJudge(controller::view, announcements, admission.trustedUsers());
        plugin = Admission.serve(admission.socket(), judge, () -> controller.store().synced(), controller.admission(judge::admitted));
      }
      observed.start();
      if (acting) controller.start();
      else controller.startObserving();
    } catch (Exception e) {
      // A source that cannot start (no CRDs, no access) must not leave the Docker connection and streams behind.
      controller.close();
      docker.close();
      if (plugin != null) plugin.close();
      throw e;
    }
    return new Operator(docker, observed, controller, metrics, plugin);
  }

  public DesiredStore store() { return controller.store(); }

  public ObservedState observed() { return observed; }

  public Metrics metrics() { return metrics; }

  public DockerApi docker() { return docker; }

  public boolean ready() { return controller.ready(); }

  @Override
  public void close() throws Exception {
    controller.close();
    docker.close();
    // Last: the operator's own requests while it stops go through the plugin too.
    if (admission != null) admission.close();
  }
}
