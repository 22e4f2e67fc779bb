package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code -o junit} validates against the JUnit XML schema CI systems read, and its counts add up. */
class CliJunitXmlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "check -f examples/cluster -f examples/policies/denied -o junit | 9 | 8 | 0",
            "check -f examples/cluster -f src/test/resources/cli/inputs/workloads.yaml -o junit --strict | 8 | 2 | 0",
            // an input error is an <error> test case, so a CI report shows it even though nothing was judged
            "check -f src/test/resources/cli/inputs/bad-labels.yaml -o junit | 2 | 0 | 2",
            // markup in names (<, &, quotes) is escaped
            "check -f src/test/resources/cli/inputs/markup.yaml -o junit --guardrails examples/cluster/guardrails.yaml | 1 | 1 | 0"})
    void junitOutputIsValidAndCountsAddUp(String args, int tests, int failures, int errors) throws Exception {
        CliRun run = CliRun.of(args.split(" "));
        var schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Path.of("src/test/resources/cli/junit.xsd").toFile());
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8))));

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(tests, cases.getLength(), run.out());
        assertEquals(String.valueOf(tests), suite.getAttribute("tests"));
        assertEquals(failures, doc.getElementsByTagName("failure").getLength());
        assertEquals(String.valueOf(failures), suite.getAttribute("failures"));
        assertEquals(errors, doc.getElementsByTagName("error").getLength());
        assertEquals(String.valueOf(errors), suite.getAttribute("errors"));
        NodeList failureNodes = doc.getElementsByTagName("failure");
        for (int i = 0; i < failureNodes.getLength(); i++) {
            Element f = (Element) failureNodes.item(i);
            assertTrue(f.getTextContent().startsWith(f.getAttribute("message")), "message is the first failing line");
        }
    }
}
