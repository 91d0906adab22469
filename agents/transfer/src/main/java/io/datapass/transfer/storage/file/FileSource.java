package io.datapass.transfer.storage.file;

import io.datapass.transfer.storage.ObjectSource;
import io.datapass.transfer.storage.OpenedStream;
import io.datapass.transfer.storage.RemoteObject;
import io.datapass.transfer.storage.TransferException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/** {@code file:} URIs and plain paths: a mounted volume, a hostPath, a local test file. */
public final class FileSource implements ObjectSource {

  @Override
  public RemoteObject stat(URI uri) throws IOException {
    Path path = Path.of(uri);
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw TransferException.permanent("file not found: " + path);
    } catch (AccessDeniedException e) {
      throw TransferException.permanent("permission denied: " + path);
    }
    if (!attributes.isRegularFile()) {
      throw TransferException.permanent(
          "not a regular file: " + path + " (end a directory with '/')");
    }
    String version = attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
    return new RemoteObject(uri, attributes.size(), version, List.of());
  }

  @Override
  public OpenedStream open(RemoteObject object, long offset) throws IOException {
    FileChannel channel = FileChannel.open(Path.of(object.uri()), StandardOpenOption.READ);
    channel.position(offset);
    return new OpenedStream(channel, offset);
  }

  @Override
  public List<URI> list(URI directory) throws IOException {
    Path root = Path.of(directory);
    if (!Files.isDirectory(root)) {
      throw TransferException.permanent("directory not found: " + root);
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).sorted().map(Path::toUri).toList();
    }
  }
}
