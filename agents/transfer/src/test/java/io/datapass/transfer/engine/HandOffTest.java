package io.datapass.transfer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandOffTest {

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  @Test
  void everyByteReachesTheTargetInOrderByTheTimeFinishReturns() throws Exception {
    byte[] bytes = random(5_500_003);
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    HandOff out = new HandOff(target, 2);
    for (int at = 0; at < bytes.length; at += 77_777) {
      out.write(bytes, at, Math.min(77_777, bytes.length - at));
    }
    out.write(bytes.length % 256);
    out.finish();
    byte[] expected = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    expected[bytes.length] = (byte) (bytes.length % 256);
    assertThat(target.toByteArray()).isEqualTo(expected);
  }

  @Test
  void aFailureOfTheTargetReachesTheProducer() {
    AtomicLong received = new AtomicLong();
    OutputStream failing =
        new OutputStream() {
          @Override
          public void write(int b) {}

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            if (received.addAndGet(len) > 2 << 20) {
              throw new IOException("connection reset");
            }
          }
        };
    HandOff out = new HandOff(failing, 2);
    byte[] bytes = random(1 << 20);
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 20; i++) {
                out.write(bytes);
              }
              out.finish();
            })
        .isInstanceOf(IOException.class)
        .hasMessage("connection reset");
    assertThat(received.get()).isLessThan(4 << 20);
  }

  @Test
  void abortDropsWhatWaitsAndReturnsOnceTheSendInProgressEnded() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong received = new AtomicLong();
    OutputStream slow =
        new OutputStream() {
          @Override
          public void write(int b) {}

          @Override
          public void write(byte[] b, int off, int len) {
            sending.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException("interrupted: aborting must not interrupt", e);
            }
            received.addAndGet(len);
          }
        };
    HandOff out = new HandOff(slow, 4);
    out.write(random(3 << 20)); // one piece being sent, two waiting
    assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
    new Thread(
            () -> {
              sleep(200);
              release.countDown();
            })
        .start();

    out.abort();

    assertThat(release.getCount()).isZero();
    assertThat(received.get()).isEqualTo(1 << 20);
    assertThatThrownBy(() -> out.write(1)).hasMessageContaining("the upload has ended");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
