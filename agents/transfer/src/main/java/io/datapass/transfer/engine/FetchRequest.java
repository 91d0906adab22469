package io.datapass.transfer.engine;

import io.datapass.transfer.checksum.Checksum;
import java.net.URI;
import java.nio.file.Path;

/**
 * One object to fetch to one file.
 *
 * @param expected the checksum the caller knows, or null
 * @param root the directory the target must stay in, its real path included (a link planted in it
 *     never leads out), or null for no such check
 */
public record FetchRequest(URI source, Path target, Checksum expected, Path root) {
  public FetchRequest(URI source, Path target, Checksum expected) {
    this(source, target, expected, null);
  }
}
