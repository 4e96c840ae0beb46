package dev.tracepipe.platform.http;

/** Ends a request with a status and a reason; the router turns it into an error response. */
public final class HttpException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public HttpException(int status, String reason) {
    super(reason);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
