package io.idgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and of docs/*.md points at a file or folder of the repository
 * (never outside it), and a link with an anchor into a Markdown file at one of its headings, as
 * GitHub names them. Sections move between the README and docs/; a link left behind must fail here,
 * not on a reader.
 */
class DocsLinksTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().normalize();

    /** {@code [text](target)} or {@code [text](target "title")}; the text may hold code spans. */
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    @Test
    void everyRelativeLinkPointsAtAFileAndHeadingOfTheRepository() throws IOException {
        List<Path> documents = documents();
        assertTrue(documents.size() >= 10, "README and docs/*.md: " + documents);
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents) {
            for (String target : links(Files.readString(doc))) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // https:, mailto:
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " points outside the repository");
                } else if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such file: " + ROOT.relativize(resolved) + ")");
                } else if (anchor != null) {
                    if (!resolved.toString().endsWith(".md")) {
                        broken.add(ROOT.relativize(doc) + ": " + target + " has an anchor into a file that is not Markdown");
                        continue;
                    }
                    Set<String> headings = anchors.computeIfAbsent(resolved, DocsLinksTest::headingAnchors);
                    if (!headings.contains(anchor)) {
                        broken.add(ROOT.relativize(doc) + ": " + target + " (no heading #" + anchor + " in " + ROOT.relativize(resolved) + ")");
                    }
                }
            }
        }
        assertTrue(checked >= 50, "links checked: " + checked);
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void headingAnchorsAreNamedAsGithubNamesThem() {
        assertEquals("reachability-who-can-reach-whom-idgate-reach", slug("Reachability: who can reach whom (`idgate reach`)"));
        assertEquals("idgate-check-before-you-merge", slug("`idgate check`: before you merge"));
        assertEquals("against-a-live-cluster---cluster", slug("Against a live cluster: `--cluster`"));
    }

    private static List<Path> documents() throws IOException {
        List<Path> out = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** The targets of the links outside fenced blocks and code spans. */
    static List<String> links(String markdown) {
        List<String> out = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            // a code span inside link text stays (as its words), one elsewhere goes: `[a](b)` is code
            Matcher m = LINK.matcher(line);
            StringBuilder kept = new StringBuilder();
            int from = 0;
            while (m.find()) {
                kept.append(CODE_SPAN.matcher(line.substring(from, m.start())).replaceAll("")).append(m.group());
                from = m.end();
            }
            kept.append(CODE_SPAN.matcher(line.substring(from)).replaceAll(""));
            Matcher links = LINK.matcher(kept);
            while (links.find()) {
                out.add(links.group(1));
            }
        }
        return out;
    }

    private static Set<String> headingAnchors(Path file) {
        try {
            Set<String> out = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : Files.readString(file).split("\n", -1)) {
                if (line.startsWith("```")) {
                    fenced = !fenced;
                } else if (!fenced && line.matches("^#{1,6} .*")) {
                    String slug = slug(line.replaceFirst("^#+ ", ""));
                    int n = seen.merge(slug, 1, Integer::sum);
                    out.add(n == 1 ? slug : slug + "-" + (n - 1));
                }
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GitHub's anchor of a heading: lower case, punctuation but {@code -} and {@code _} dropped, spaces as {@code -}. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
