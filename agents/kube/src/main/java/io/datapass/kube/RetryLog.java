package io.datapass.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the answers fabric8 retries (429, 5xx) and failed connections, which it only logs at debug
 * level: an operator reading the pod's log should see why a delete took a minute.
 */
final class RetryLog implements Interceptor {
  static final String NAME = "datapass-retry-log";
  private static final Logger log = LoggerFactory.getLogger(RetryLog.class);

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    int code = response.code();
    if (code == 429 || code >= 500) {
      log.warn(
          "API server answered HTTP {} to {} {} (retried while retries are left)",
          code,
          request.method(),
          request.uri().getPath());
    }
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    log.warn(
        "API server not reached for {} {}: {} (retried while retries are left)",
        request.method(),
        request.uri().getPath(),
        failure.toString());
  }
}
