package io.datapass.transfer.storage.xrootd;

import static org.assertj.core.api.Assertions.assertThat;

import io.datapass.transfer.storage.DirectBuffers;
import io.datapass.xrootd.XrootdClient;
import io.datapass.xrootd.XrootdSettings;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XrootdReadAheadTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 8, 16, 32, 64})
  void filesReadAtOnceShareTheReadAheadBudget(int parallel) throws Exception {
    try (XrootdSource source =
        XrootdSource.sharingReadAhead(new XrootdClient(XrootdSettings.defaults()), parallel)) {
      long total = (long) parallel * source.chunk() * source.window();
      assertThat(source.window()).isPositive();
      assertThat(source.chunk()).isBetween(1 << 20, 8 << 20);
      // within the budget, except that no file reads with less than one 1 MiB request
      assertThat(total)
          .isLessThanOrEqualTo(Math.max(XrootdSource.READ_AHEAD_BYTES, (long) parallel << 20));
    }
  }

  @Test
  void oneFileKeepsFourLargeRequestsInFlight() throws Exception {
    try (XrootdSource source =
        XrootdSource.sharingReadAhead(new XrootdClient(XrootdSettings.defaults()), 1)) {
      assertThat(source.chunk()).isEqualTo(8 << 20);
      assertThat(source.window()).isEqualTo(4);
    }
  }

  @Test
  void buffersAreReusedBySizeClassAndIdleOnesAreBounded() {
    DirectBuffers buffers = new DirectBuffers(256 * 1024);
    ByteBuffer small = buffers.take(1000);
    assertThat(small.isDirect()).isTrue();
    assertThat(small.capacity()).isEqualTo(64 * 1024);
    assertThat(small.position()).isZero();
    assertThat(small.limit()).isEqualTo(1000);
    buffers.give(small);
    assertThat(buffers.take(60_000))
        .isSameAs(small)
        .extracting(ByteBuffer::limit)
        .isEqualTo(60_000);

    ByteBuffer large = buffers.take(200_000);
    assertThat(large.capacity()).isEqualTo(256 * 1024);
    buffers.give(large);
    buffers.give(small); // over the 256 KiB kept at most: dropped
    assertThat(buffers.take(1000)).isNotSameAs(small);
    assertThat(buffers.take(256 * 1024)).isSameAs(large);
  }
}
