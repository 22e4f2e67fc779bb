package io.idgate.render.reach;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -o html}: one self-contained page that opens offline: the SVG graph ({@link ReachSvg}), the
 * connectivity matrix (rows sources, columns destinations, a cell the connections, spoofable cells
 * marked) and the warnings. CSS and a little script are inline; nothing is fetched, and the page's
 * Content-Security-Policy forbids fetching anything, so a name in the page cannot make it call out.
 * The script only reads the page: hover a peer to highlight its edges, pick a namespace to dim the
 * rest.
 */
public final class ReachHtml {

    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#212121}
            h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}
            .graph{overflow:auto;border:1px solid #ddd;max-height:80vh}
            .reach-graph .edge polyline{transition:opacity .1s}
            .reach-graph.focus .edge:not(.hl) polyline{opacity:.08}
            .reach-graph.focus .node:not(.hl) rect{opacity:.35}
            .reach-graph .edge.hl polyline{stroke-width:2.5}
            .dim{opacity:.12}
            table.matrix{border-collapse:collapse;font-family:monospace;font-size:11px}
            .matrix th,.matrix td{border:1px solid #ccc;padding:2px 4px;white-space:nowrap}
            .matrix thead th{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left}
            .matrix td.spoofable{background:#fdecea;color:#b71c1c}
            .matrix td.added{background:#e8f5e9}.matrix td.removed{background:#f5f5f5;color:#757575}
            .matrix td.changed{background:#e3f2fd}
            .hidden{display:none}
            ul.warnings li{font-family:monospace}
            """;

    /** Reads only attributes the renderer wrote (numbers and escaped namespace names); fetches nothing. */
    private static final String JS = """
            (function(){
              var svg=document.querySelector('svg.reach-graph');if(!svg)return;
              var edges=[].slice.call(svg.querySelectorAll('.edge'));
              var nodes=[].slice.call(svg.querySelectorAll('.node'));
              nodes.forEach(function(n){
                var i=n.getAttribute('data-i');
                n.addEventListener('mouseenter',function(){
                  svg.classList.add('focus');n.classList.add('hl');
                  edges.forEach(function(e){
                    if(e.getAttribute('data-src')===i||e.getAttribute('data-dst')===i){e.classList.add('hl');
                      nodes[+e.getAttribute('data-src')].classList.add('hl');nodes[+e.getAttribute('data-dst')].classList.add('hl');}
                  });
                });
                n.addEventListener('mouseleave',function(){
                  svg.classList.remove('focus');
                  svg.querySelectorAll('.hl').forEach(function(x){x.classList.remove('hl');});
                });
              });
              var pick=document.getElementById('ns-filter');if(!pick)return;
              pick.addEventListener('change',function(){
                var ns=pick.value,keep={};
                nodes.forEach(function(n){if(!ns||n.getAttribute('data-ns')===ns)keep[n.getAttribute('data-i')]=true;});
                var near=Object.assign({},keep);
                edges.forEach(function(e){
                  var s=e.getAttribute('data-src'),d=e.getAttribute('data-dst'),on=!ns||keep[s]||keep[d];
                  e.classList.toggle('dim',!on);if(on){near[s]=true;near[d]=true;}
                });
                nodes.forEach(function(n){n.classList.toggle('dim',!near[n.getAttribute('data-i')]);});
                document.querySelectorAll('.matrix [data-i]').forEach(function(c){
                  c.classList.toggle('hidden',!near[c.getAttribute('data-i')]);
                });
              });
            })();
            """;

    /** The text of the inline style and script elements, exactly as written: what the inline sources hash. */
    private static final String STYLE_TEXT = "\n" + CSS;
    private static final String SCRIPT_TEXT = "\n" + JS;

    private ReachHtml() {
    }

    /**
     * The Content-Security-Policy source a page that embeds this output must allow in {@code style-src}:
     * the SHA-256 hash of its inline style ({@code 'sha256-…'}). A document embedded as an iframe's
     * {@code srcdoc} inherits the embedding page's policy, so that page (idgate's own, {@code /ui/})
     * allows exactly this style and {@link #inlineScriptSource()}, and no other inline code.
     */
    public static String inlineStyleSource() {
        return sha256(STYLE_TEXT);
    }

    /** The {@code script-src} source for the inline script, as {@link #inlineStyleSource()} for the style. */
    public static String inlineScriptSource() {
        return sha256(SCRIPT_TEXT);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String list(GraphModel graph) {
        Drawing d = Drawing.of(graph);
        long spoofable = d.lines().stream().filter(Drawing.Line::spoofable).count();
        String summary = d.nodes().size() + " peers, " + d.lines().size() + " connected pairs, " + spoofable + " spoofable";
        return page(d, "idgate reach: " + graph.view() + " view", summary, Sorting.warnings(graph));
    }

    public static String diff(DiffModel diff) {
        Drawing d = Drawing.of(diff);
        Map<DiffModel.Kind, Long> counts = new HashMap<>();
        d.lines().forEach(l -> counts.merge(l.change(), 1L, Long::sum));
        String summary = counts.getOrDefault(DiffModel.Kind.ADDED, 0L) + " added, "
                + counts.getOrDefault(DiffModel.Kind.REMOVED, 0L) + " removed, "
                + counts.getOrDefault(DiffModel.Kind.CHANGED, 0L) + " changed";
        return page(d, "idgate reach diff", summary, List.of());
    }

    private static String page(Drawing d, String title, String summary, List<String> warnings) {
        ReachLayout.Laid laid = ReachLayout.layout(d);
        StringBuilder out = new StringBuilder(4096 + 80 * d.nodes().size() * d.nodes().size() / 8);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; ")
                .append("script-src 'unsafe-inline'\">\n");
        out.append("<title>").append(ReachSvg.xml(title)).append("</title>\n<style>").append(STYLE_TEXT).append("</style>\n</head>\n<body>\n");
        out.append("<h1>").append(ReachSvg.xml(title)).append("</h1>\n<p class=\"summary\">").append(ReachSvg.xml(summary))
                .append("</p>\n");

        out.append("<section id=\"warnings\">\n<h2>Warnings</h2>\n");
        if (warnings.isEmpty()) {
            out.append("<p>None.</p>\n");
        } else {
            out.append("<ul class=\"warnings\">\n");
            for (String w : warnings) {
                out.append("<li>").append(ReachSvg.xml(w)).append("</li>\n");
            }
            out.append("</ul>\n");
        }
        out.append("</section>\n");

        out.append("<section id=\"graph\">\n<h2>Graph</h2>\n<p><label>Namespace <select id=\"ns-filter\">")
                .append("<option value=\"\">all</option>");
        List<String> namespaces = new ArrayList<>(d.nodes().stream().map(ReachSvg::nsOf).filter(n -> !n.isEmpty()).distinct().toList());
        namespaces.sort(Sorting.TEXT);
        for (String ns : namespaces) {
            out.append("<option value=\"").append(ReachSvg.xml(ns)).append("\">").append(ReachSvg.xml(ns)).append("</option>");
        }
        out.append("</select></label> Hover a peer to highlight its connections.</p>\n<div class=\"graph\">\n");
        out.append(ReachSvg.svg(laid, d, title));
        out.append("</div>\n</section>\n");

        matrix(out, d);
        out.append("<script>").append(SCRIPT_TEXT).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    /** Rows sources, columns destinations; a cell holds the connections (or the change), spoofable ones marked ⚠. */
    private static void matrix(StringBuilder out, Drawing d) {
        List<GraphModel.Node> peers = d.nodes();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            index.put(peers.get(i).id(), i);
        }
        // One line per pair in practice; should the input repeat a pair, its cells join in sorted order.
        Map<Long, List<Drawing.Line>> cells = new HashMap<>();
        for (Drawing.Line l : d.lines()) {
            long key = (long) index.get(l.src()) * peers.size() + index.get(l.dst());
            cells.computeIfAbsent(key, k -> new ArrayList<>()).add(l);
        }
        out.append("<section id=\"matrix\">\n<h2>Matrix</h2>\n<p>Rows: sources. Columns: destinations. ")
                .append(d.diff() ? "A cell: the change (+ added, - removed, before -&gt; after). "
                        : "A cell: the allowed connections. ")
                .append("⚠ spoofable: exists only through labels a pod or namespace owner can set.</p>\n");
        out.append("<table class=\"matrix\">\n<thead><tr><th>src \\ dst</th>");
        for (int j = 0; j < peers.size(); j++) {
            out.append("<th data-i=\"").append(j).append("\" scope=\"col\">").append(ReachSvg.xml(peers.get(j).id())).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < peers.size(); i++) {
            out.append("<tr data-i=\"").append(i).append("\"><th scope=\"row\">").append(ReachSvg.xml(peers.get(i).id()))
                    .append("</th>");
            for (int j = 0; j < peers.size(); j++) {
                List<Drawing.Line> here = cells.get((long) i * peers.size() + j);
                if (here == null) {
                    out.append("<td data-i=\"").append(j).append("\"></td>");
                    continue;
                }
                boolean spoofable = here.stream().anyMatch(Drawing.Line::spoofable);
                String cls = (here.get(0).change() == null ? "" : ReachSvg.style(here.get(0))) + (spoofable ? " spoofable" : "");
                out.append("<td data-i=\"").append(j).append("\" class=\"").append(cls.strip()).append("\" title=\"")
                        .append(ReachSvg.xml(here.get(0).src() + " => " + here.get(0).dst() + (spoofable ? " (spoofable)" : "")))
                        .append("\">");
                for (int k = 0; k < here.size(); k++) {
                    out.append(k == 0 ? "" : "<br>").append(ReachSvg.xml(here.get(k).label()))
                            .append(here.get(k).spoofable() ? " ⚠" : "");
                }
                out.append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }
}
