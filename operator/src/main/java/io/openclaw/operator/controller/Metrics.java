package io.openclaw.operator.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The operator's Prometheus metrics: reconciles, their duration, actions, queue depth, stream reconnects. */
public final class Metrics {
  public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** The build that runs, as Prometheus exporters say it: a gauge of 1 labelled with the version. */
  public Metrics(String version) {
    Gauge.builder("openclaw_operator_build_info", () -> 1).description("The operator's version").tag("version", version).register(registry);
  }

  public void reconciled(String kind, String result, Duration took) {
    Counter.builder("openclaw_operator_reconciles").description("Reconciles by kind and result")
        .tag("kind", kind).tag("result", result).register(registry).increment();
    Timer.builder("openclaw_operator_reconcile_duration").description("Time one reconcile takes").tag("kind", kind)
        .publishPercentileHistogram().register(registry).record(took);
  }

  public void action(String type, String reason, String result) {
    Counter.builder("openclaw_operator_actions").description("Actions taken on the Docker host by type and reason")
        .tag("type", type).tag("reason", reason).tag("result", result).register(registry).increment();
  }

  public void admission(boolean allowed, String rule, Duration took) {
    Counter.builder("openclaw_operator_admission_decisions").description("Requests the authorization plugin judged, by result and rule")
        .tag("result", allowed ? "allow" : "deny").tag("rule", allowed ? "" : rule).register(registry).increment();
    Timer.builder("openclaw_operator_admission_duration").description("Time the authorization plugin takes to answer")
        .publishPercentileHistogram().register(registry).record(took);
  }

  public void finding(String checkId) {
    Counter.builder("openclaw_operator_reported_violations").description("Violations found but not acted on (report mode)")
        .tag("check", checkId).register(registry).increment();
  }

  public void gauge(String name, String description, String tagKey, String tagValue, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).tag(tagKey, tagValue).register(registry);
  }

  public String scrape() { return registry.scrape(); }
}
