package io.idgate.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Binding objects as the API server does: a number or a boolean is not a string. Jackson would read
 * {@code app: 5} as the label value "5"; the API server (and kubectl) refuse it, so judging the
 * coerced object would judge another object than the one written.
 */
public final class StrictScalars {

    private StrictScalars() {}

    public static <M extends ObjectMapper> M apply(M mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }
}
