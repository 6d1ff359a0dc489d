package io.github.deepanomaly.core;

import java.io.Serializable;
import java.util.Arrays;
import scala.runtime.AbstractFunction1;

/** Param validators that Spark's {@code ParamValidators} lacks; serializable because Params travel with stages. */
public final class Validators {
    private Validators() {
    }

    /** Every entry of an int array is at least 1 (an empty array is valid: it means "choose for me"). */
    public static AbstractFunction1<int[], Object> allPositive() {
        return new AllPositive();
    }

    private static final class AllPositive extends AbstractFunction1<int[], Object> implements Serializable {
        @Override
        public Object apply(int[] values) {
            return Arrays.stream(values).allMatch(v -> v >= 1);
        }
    }
}
