package io.datapass.transfer.engine;

import io.datapass.transfer.checksum.Checksum;
import java.net.URI;
import java.nio.file.Path;

/**
 * One object to fetch to one file.
 *
 * @param expected the checksum the caller knows, or null
 */
public record FetchRequest(URI source, Path target, Checksum expected) {}
