package io.github.deepanomaly.score;

import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.Predef;
import scala.collection.Seq;

/**
 * A row's strongest per-feature contributions to its score, as an array of (name, contribution)
 * structs, strongest first.
 *
 * @param names feature names, one per feature
 * @param topK  how many entries each row gets (fewer when there are fewer features)
 */
public record FeatureExplanation(String[] names, int topK) implements Explanation {

    /** The explanation column's type: array&lt;struct&lt;name: string, contribution: double&gt;&gt;. */
    public static final ArrayType TYPE = DataTypes.createArrayType(new StructType()
            .add("name", DataTypes.StringType, false)
            .add("contribution", DataTypes.DoubleType, false), false);

    public FeatureExplanation {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
    }

    @Override
    public ArrayType type() {
        return TYPE;
    }

    /**
     * The names the features column's ML attributes give (VectorAssembler names each slot after its input
     * column), "f0", "f1", … where they are missing or do not describe a vector of {@code numFeatures}.
     */
    public static String[] featureNames(StructField featuresField, int numFeatures) {
        String[] names = new String[numFeatures];
        Option<Attribute[]> attributes = AttributeGroup.fromStructField(featuresField).attributes();
        Attribute[] known = attributes.isDefined() && attributes.get().length == numFeatures ? attributes.get()
                : null;
        for (int j = 0; j < numFeatures; j++) {
            Option<String> name = known == null ? Option.empty() : known[j].name();
            names[j] = name.isDefined() && !name.get().isEmpty() ? name.get() : "f" + j;
        }
        return names;
    }

    /**
     * The top entries of one row's contributions, as the Scala Seq a Row holds for an array column; ties
     * go to the lower feature index.
     */
    @Override
    public Seq<Row> of(float[] contributions) {
        int k = Math.min(topK, contributions.length);
        int[] top = new int[k];
        int filled = 0;
        // insertion into a k-long sorted list: k is a handful, so this beats sorting all features
        for (int j = 0; j < contributions.length; j++) {
            float c = contributions[j];
            if (filled == k && !(c > contributions[top[k - 1]])) {
                continue;
            }
            int at = filled < k ? filled++ : k - 1;
            while (at > 0 && c > contributions[top[at - 1]]) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = j;
        }
        Row[] entries = new Row[k];
        for (int i = 0; i < k; i++) {
            entries[i] = RowFactory.create(names[top[i]], (double) contributions[top[i]]);
        }
        return Predef.wrapRefArray(entries);
    }
}
