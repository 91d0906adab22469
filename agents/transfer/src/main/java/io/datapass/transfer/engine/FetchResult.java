package io.datapass.transfer.engine;

import io.datapass.transfer.checksum.Checksum;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A fetched, verified file under its final name.
 *
 * @param checksum the verified (or, with nothing to verify against, computed) checksum of the file
 * @param resumedFrom bytes already on disk from an earlier attempt when the last attempt began; 0
 *     if none
 */
public record FetchResult(
    URI source,
    Path target,
    long bytes,
    Checksum checksum,
    Duration elapsed,
    int attempts,
    long resumedFrom) {}
