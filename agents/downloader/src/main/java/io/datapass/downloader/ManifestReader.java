package io.datapass.downloader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.datapass.common.ConfigException;
import io.datapass.common.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads a manifest; any problem becomes a {@link ConfigException} naming the file and the field's
 * path.
 */
final class ManifestReader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ManifestReader() {}

  static Manifest read(Path file) throws ConfigException {
    try {
      String text = Files.readString(file);
      // Before anything can quote it (a parse error, a field's message): mask the URLs' secrets.
      Secrets.hideInText(text);
      ManifestShape.check(file.toString(), YamlTree.parse(text));
      Manifest manifest = YAML.readValue(text, Manifest.class);
      if (manifest == null) {
        throw new ConfigException(file + ": the manifest is empty");
      }
      return manifest;
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds().stream()
              .map(Object::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      throw new ConfigException(where(file, e) + ": unknown field (known: " + known + ")", e);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String field = cause instanceof FieldException f ? "." + f.field() : "";
      throw new ConfigException(where(file, e) + field + ": " + cause.getMessage(), e);
    } catch (MismatchedInputException e) {
      throw new ConfigException(where(file, e) + ": " + mismatch(e), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(YamlErrors.oneLine(file.toString(), e), e);
    } catch (NoSuchFileException e) {
      throw new ConfigException("manifest not found: " + file, e);
    } catch (IOException e) {
      throw new ConfigException("cannot read manifest " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code file: inputs[1].checksum}, or {@code file} for the manifest as a whole. */
  private static String where(Path file, JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? file.toString() : file + ": " + path;
  }

  private static String mismatch(MismatchedInputException e) {
    String message = e.getOriginalMessage();
    int property = message.indexOf("Missing required creator property '");
    if (property >= 0) {
      String name = message.substring(property + 35, message.indexOf('\'', property + 35));
      return "missing field '" + name + "'";
    }
    String type = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
    return "wrong type, expected " + describe(type);
  }

  private static String describe(String javaType) {
    return switch (javaType) {
      case "List" -> "a list";
      case "Integer", "int" -> "a whole number";
      case "Boolean", "boolean" -> "true or false";
      case "String" -> "a string";
      default -> "a mapping";
    };
  }
}
