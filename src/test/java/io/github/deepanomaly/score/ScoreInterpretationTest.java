package io.github.deepanomaly.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** The arithmetic behind normalized scores, confidence and explanations, on hand-made inputs. */
class ScoreInterpretationTest {

    /** Quantile i is the score i: scores spread evenly over [0, 1000]. */
    private static double[] linearSketch() {
        double[] q = new double[ScoreDistribution.SKETCH_SIZE];
        for (int i = 0; i < q.length; i++) {
            q[i] = i;
        }
        return q;
    }

    @Test
    void cdfInterpolatesBetweenSketchPoints() {
        ScoreDistribution d = new ScoreDistribution(linearSketch(), 500, 100, 1000);
        assertEquals(0.0, d.cdf(-1));
        assertEquals(0.0, d.cdf(0));
        assertEquals(0.5, d.cdf(500));
        assertEquals(0.5005, d.cdf(500.5), 1e-12);
        assertEquals(0.9, d.cdf(900));
        assertEquals(1.0, d.cdf(1000));
        assertEquals(1.0, d.cdf(1e9));
    }

    @Test
    void cdfCountsTiedScoresAsAtOrBelow() {
        double[] q = linearSketch();
        Arrays.fill(q, 100, 201, 100.0); // a fifth of the sketch ties at 100
        ScoreDistribution d = new ScoreDistribution(q, 100, 50, 1000);
        assertEquals(0.2, d.cdf(100), 1e-12, "every tied score is at or below 100");
        assertEquals(0.099, d.cdf(99), 1e-12);
        double previous = -1;
        for (double s = -5; s < 1010; s += 0.25) {
            double f = d.cdf(s);
            assertTrue(f >= previous && f >= 0 && f <= 1, "cdf(" + s + ") = " + f);
            previous = f;
        }
    }

    @Test
    void sketchIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ScoreDistribution(new double[10], 0, 1, 5));
        double[] falling = linearSketch();
        falling[7] = 3;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScoreDistribution(falling, 0, 1, 5));
        assertTrue(e.getMessage().contains("non-decreasing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScoreDistribution(linearSketch(), 0, 1, 0));
    }

    @Test
    void unifyIsKriegelsGaussianScaling() {
        ScoreDistribution d = new ScoreDistribution(linearSketch(), 500, 100, 1000);
        assertEquals(0.0, ScoreNormalization.UNIFY.apply(d, 300));
        assertEquals(0.0, ScoreNormalization.UNIFY.apply(d, 500));
        // erf(1/√2) = P(|Z| < 1) and erf(2/√2) = P(|Z| < 2) for a standard normal Z
        assertEquals(0.682689492137, ScoreNormalization.UNIFY.apply(d, 600), 1e-9);
        assertEquals(0.954499736104, ScoreNormalization.UNIFY.apply(d, 700), 1e-9);
        assertEquals(1.0, ScoreNormalization.UNIFY.apply(d, 1e6), 1e-12);

        double[] flat = new double[ScoreDistribution.SKETCH_SIZE];
        ScoreDistribution constant = new ScoreDistribution(flat, 0, 0, 10);
        assertEquals(0.0, ScoreNormalization.UNIFY.apply(constant, 0));
        assertEquals(1.0, ScoreNormalization.UNIFY.apply(constant, 1e-9));
        assertEquals(0.5, ScoreNormalization.RANK.apply(d, 500));
        assertEquals(ScoreNormalization.UNIFY, ScoreNormalization.byName("unify"));
        assertThrows(IllegalArgumentException.class, () -> ScoreNormalization.byName("minmax"));
    }

    @Test
    void confidenceIsPyodsExceedFormula() {
        for (int n : List.of(7, 100, 1234)) {
            for (double contamination : List.of(0.05, 0.1, 0.37)) {
                ExceedConfidence exceed = ExceedConfidence.of(n, contamination);
                assertEquals(n - (int) (n * contamination), exceed.t(), "PyOD's n - int(n * contamination)");
                for (int atOrBelow = 0; atOrBelow <= n; atOrBelow++) {
                    double p = (1.0 + atOrBelow) / (2.0 + n);
                    double expected = 1 - new BinomialDistribution(null, n, p).cumulativeProbability(
                            n - (int) (n * contamination));
                    double cdf = atOrBelow / (double) n;
                    assertEquals(expected, exceed.confidence(cdf, true), 1e-12, "n=" + n + " count=" + atOrBelow);
                    assertEquals(1 - expected, exceed.confidence(cdf, false), 1e-12);
                }
            }
        }
    }

    @Test
    void confidenceWorksBeyondIntSizedTrainingSets() {
        ExceedConfidence exceed = ExceedConfidence.of(3_000_000_000L, 0.1);
        double previous = 0;
        for (double cdf = 0.89; cdf <= 0.91; cdf += 0.000_001) {
            double anomaly = exceed.anomalyProbability(cdf);
            assertTrue(anomaly >= previous && anomaly <= 1, cdf + " -> " + anomaly);
            previous = anomaly;
        }
        assertEquals(0.0, exceed.anomalyProbability(0.8999), 1e-9);
        assertEquals(1.0, exceed.anomalyProbability(0.9001), 1e-9);
        assertEquals(0.5, exceed.anomalyProbability(0.9), 0.01);
    }

    @Test
    void explanationListsTheLargestContributionsFirst() {
        FeatureExplanation top2 = new FeatureExplanation(new String[] {"a", "b", "c", "d"}, 2);
        assertEquals(List.of(Row.fromSeq(seq("c", 9.0)), Row.fromSeq(seq("a", 4.0))),
                list(top2.of(new float[] {4, 1, 9, 0.5f})));
        assertEquals(List.of(Row.fromSeq(seq("b", 3.0)), Row.fromSeq(seq("c", 3.0))),
                list(top2.of(new float[] {1, 3, 3, 3})), "ties go to the lower index");
        FeatureExplanation top9 = new FeatureExplanation(new String[] {"a", "b", "c"}, 9);
        assertEquals(List.of("c", "a", "b"), list(top9.of(new float[] {2, 1, 3})).stream()
                .map(r -> r.getString(0)).toList());
        assertThrows(IllegalArgumentException.class, () -> new FeatureExplanation(new String[] {"a"}, 0));
    }

    @Test
    void featureNamesComeFromAttributesWhereThereAreAny() {
        StructField bare = new StructField("features", SQLDataTypes.VectorType(), true, Metadata.empty());
        assertArrayEquals(new String[] {"f0", "f1", "f2"}, FeatureExplanation.featureNames(bare, 3));

        Attribute[] partly = {NumericAttribute.defaultAttr().withName("speed"), NumericAttribute.defaultAttr(),
            NumericAttribute.defaultAttr().withName("load")};
        StructField named = new AttributeGroup("features", partly).toStructField();
        assertArrayEquals(new String[] {"speed", "f1", "load"}, FeatureExplanation.featureNames(named, 3));
        assertArrayEquals(new String[] {"f0", "f1", "f2", "f3"}, FeatureExplanation.featureNames(named, 4),
                "attributes of another size describe another vector");
    }

    private static scala.collection.Seq<Object> seq(Object... values) {
        return JavaConverters.asScalaBuffer(Arrays.asList(values)).toSeq();
    }

    private static List<Row> list(scala.collection.Seq<Row> rows) {
        return JavaConverters.seqAsJavaList(rows);
    }
}
