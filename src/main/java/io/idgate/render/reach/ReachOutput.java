package io.idgate.render.reach;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/** The {@code -o} formats of {@code idgate reach}, each a pure function of a list and of a diff. */
public enum ReachOutput {
    TXT(ReachTxt::list, ReachTxt::diff),
    JSON(ReachJson::list, ReachJson::diff),
    CSV(ReachCsv::list, ReachCsv::diff),
    MD(ReachMd::list, ReachMd::diff),
    DOT(ReachDot::list, ReachDot::diff),
    SVG(ReachSvg::list, ReachSvg::diff),
    HTML(ReachHtml::list, ReachHtml::diff);

    private final Function<GraphModel, String> list;
    private final Function<DiffModel, String> diff;

    ReachOutput(Function<GraphModel, String> list, Function<DiffModel, String> diff) {
        this.list = list;
        this.diff = diff;
    }

    public String list(GraphModel graph) {
        return list.apply(graph);
    }

    public String diff(DiffModel changes) {
        return diff.apply(changes);
    }

    /** The name {@code -o} takes: {@code txt}, {@code json}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format {@code -o NAME} names; an unknown name throws with the known ones listed. */
    public static ReachOutput of(String name) {
        for (ReachOutput o : values()) {
            if (o.id().equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown output format '" + name + "': use one of "
                + String.join("|", Arrays.stream(values()).map(ReachOutput::id).toList()));
    }
}
