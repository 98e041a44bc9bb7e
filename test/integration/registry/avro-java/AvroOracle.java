// Answers from Apache Avro's own Java implementation, for the tests that compare the hub's Avro
// format with it (test/integration/registry/avro-compatibility-java.test.ts). Compiled at test
// time against whichever Avro jar the test gives (Debian's libavro-java 1.8.2, or Avro 1.11 from
// Maven Central), so it uses only what both have and reaches the newer API by reflection.
//
//   java AvroOracle compat CASES   each line: base64(reader) base64(writer)
//     prints per line: COMPATIBLE | INCOMPATIBLE [TAB type SPACE location SPACE base64(message)]...
//                      | ERROR TAB base64(exception)
//   java AvroOracle print CASES    each line: base64(reference)... base64(schema)
//     prints per line: OK TAB base64(schema.toString(references, false)) | ERROR TAB base64(exception)
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

public class AvroOracle {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8)) {
      if (line.trim().isEmpty()) continue;
      String[] parts = line.trim().split(" ");
      try {
        out.append(mode.equals("print") ? print(parts) : compat(parts));
      } catch (Exception e) {
        out.append("ERROR\t").append(b64(e.toString()));
      }
      out.append('\n');
    }
    System.out.print(out);
  }

  private static String text(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String compat(String[] parts) throws Exception {
    Schema reader = new Schema.Parser().parse(text(parts[0]));
    Schema writer = new Schema.Parser().parse(text(parts[1]));
    SchemaCompatibility.SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    StringBuilder sb = new StringBuilder(pair.getType().toString());
    Method getResult;
    try {
      getResult = pair.getClass().getMethod("getResult");
    } catch (NoSuchMethodException e) {
      return sb.toString(); // Avro before 1.9 tells only whether they are compatible
    }
    Object result = getResult.invoke(pair);
    List<?> incompatibilities = (List<?>) result.getClass().getMethod("getIncompatibilities").invoke(result);
    for (Object i : incompatibilities) {
      Class<?> c = i.getClass();
      sb.append('\t').append(c.getMethod("getType").invoke(i))
          .append(' ').append(c.getMethod("getLocation").invoke(i))
          .append(' ').append(b64(String.valueOf(c.getMethod("getMessage").invoke(i))));
    }
    return sb.toString();
  }

  private static String print(String[] parts) throws Exception {
    Schema.Parser parser = new Schema.Parser();
    List<Schema> references = new ArrayList<>();
    for (int i = 0; i < parts.length - 1; i++) references.add(parser.parse(text(parts[i])));
    Schema schema = parser.parse(text(parts[parts.length - 1]));
    Method toString = Schema.class.getMethod("toString", Collection.class, boolean.class);
    return "OK\t" + b64((String) toString.invoke(schema, references, false));
  }
}
