package io.datapass.downloader;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as mappings, lists and scalars, each with the line it starts on: what a shape
 * check needs to say "found a mapping on line 2" (Jackson's tree keeps no lines).
 *
 * @param token the scalar's token, or START_OBJECT / START_ARRAY
 * @param text the scalar's text, or null
 */
record YamlTree(
    JsonToken token,
    int line,
    String text,
    Map<String, YamlTree> fields,
    Map<String, Integer> fieldLines,
    List<YamlTree> items) {

  private static final YAMLFactory YAML = new YAMLFactory();

  /** The document, or null when it holds nothing (an empty file, only comments). */
  static YamlTree parse(String text) throws IOException {
    try (JsonParser parser = YAML.createParser(text)) {
      return parser.nextToken() == null ? null : read(parser);
    }
  }

  boolean isMapping() {
    return token == JsonToken.START_OBJECT;
  }

  boolean isList() {
    return token == JsonToken.START_ARRAY;
  }

  boolean isNull() {
    return token == JsonToken.VALUE_NULL;
  }

  /** What was found, as an error message says it: "a list", "the text 'x'". */
  String describe() {
    return switch (token) {
      case START_OBJECT -> "a mapping";
      case START_ARRAY -> "a list";
      case VALUE_NULL -> "nothing";
      case VALUE_TRUE, VALUE_FALSE -> text;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
      default -> "the text '" + text + "'";
    };
  }

  private static YamlTree read(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    int line = parser.currentTokenLocation().getLineNr();
    if (token == JsonToken.START_OBJECT) {
      Map<String, YamlTree> fields = new LinkedHashMap<>();
      Map<String, Integer> lines = new LinkedHashMap<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        lines.put(name, parser.currentTokenLocation().getLineNr());
        parser.nextToken();
        fields.put(name, read(parser));
      }
      return new YamlTree(token, line, null, fields, lines, List.of());
    }
    if (token == JsonToken.START_ARRAY) {
      List<YamlTree> items = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        items.add(read(parser));
      }
      return new YamlTree(token, line, null, Map.of(), Map.of(), items);
    }
    return new YamlTree(token, line, parser.getText(), Map.of(), Map.of(), List.of());
  }
}
