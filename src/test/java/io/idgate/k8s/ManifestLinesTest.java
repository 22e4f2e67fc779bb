package io.idgate.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each object read from a file knows the line its document starts on: where SARIF results point. */
class ManifestLinesTest {

    private static List<Manifest> read(String text) {
        return ManifestReader.read("f.yaml", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachDocumentStartsAtItsFirstKeyAfterCommentsAndMarkers() {
        var objects = read("""
                # a comment before the first document
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: a}
                ---
                ---

                # the empty document above still counts
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: b}
                """);
        assertEquals(2, objects.size());
        assertEquals(List.of(1, 2), List.of(objects.get(0).document(), objects.get(0).line()));
        assertEquals("b", objects.get(1).name());
        assertEquals(9, objects.get(1).line());
        assertEquals(3, objects.get(1).document(), "document numbers are unchanged: the empty one counts");
    }

    @Test
    void listItemsPointAtTheirListAndJsonAtItsBrace() {
        var objects = read("""
                kind: ServiceAccount
                apiVersion: v1
                metadata: {name: first}
                ---
                apiVersion: v1
                kind: List
                items:
                  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: x}}
                  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: y}}
                """);
        assertEquals(List.of(1, 5, 5), objects.stream().map(Manifest::line).toList());
        var json = read("\n\n{\"apiVersion\": \"v1\", \"kind\": \"ServiceAccount\", \"metadata\": {\"name\": \"j\"}}\n");
        assertEquals(3, json.get(0).line());
    }

    @Test
    void objectsNotFromAFileHaveNoLine() {
        assertEquals(0, new Manifest("cluster", 0, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()).line());
    }
}
