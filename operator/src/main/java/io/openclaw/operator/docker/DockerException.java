package io.openclaw.operator.docker;

/** The daemon answered with an error status; {@link #status} is the HTTP status, the message the daemon's own. */
public class DockerException extends RuntimeException {
  public final int status;

  public DockerException(int status, String message) {
    super(message);
    this.status = status;
  }

  public boolean notFound() { return status == 404; }

  public boolean conflict() { return status == 409; }

  /** The daemon could not be reached at all (not running, socket gone, connection refused). */
  public static final class Unavailable extends DockerException {
    public Unavailable(String message, Throwable cause) {
      super(0, message);
      initCause(cause);
    }
  }
}
