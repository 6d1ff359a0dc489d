package io.github.deepanomaly;

import io.github.deepanomaly.core.DetectorParamSet;
import io.github.deepanomaly.core.DetectorParams;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.ScoringModel;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.io.JsonFile;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.score.BatchScorer;
import io.github.deepanomaly.score.NetworkBytes;
import io.github.deepanomaly.score.ReconstructionError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained dense autoencoder. {@link #transform} appends the reconstruction error as {@code scoreCol}
 * and, when the model has a threshold, {@code predictionCol} (1.0 when score ≥ threshold). Lazy: it
 * starts no Spark job, so it also works on streaming DataFrames.
 */
public class AutoencoderDetectorModel extends Model<AutoencoderDetectorModel>
        implements AutoencoderParams<AutoencoderDetectorModel>, ScoringModel, MLWritable {

    private static final String NETWORK_FILE = "network.zip";
    private static final String STATE_FILE = "state.json";

    private final String uid;
    private final DetectorParamSet detectorParamSet;
    private final AutoencoderParamSet autoencoderParamSet;
    private final MultiLayerNetwork network;
    private final Standardization standardization;
    private double threshold;

    /** What besides params and the network a saved model needs; the threshold is null when there is none. */
    record State(double[] mean, double[] scale, Double threshold) {
    }

    AutoencoderDetectorModel(String uid, MultiLayerNetwork network, Standardization standardization,
            double threshold) {
        this.uid = uid;
        this.detectorParamSet = new DetectorParamSet(this);
        this.autoencoderParamSet = new AutoencoderParamSet(this);
        this.network = network;
        this.standardization = standardization;
        this.threshold = threshold;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public DetectorParamSet detectorParamSet() {
        return detectorParamSet;
    }

    @Override
    public AutoencoderParamSet autoencoderParamSet() {
        return autoencoderParamSet;
    }

    @Override
    public int numFeatures() {
        return standardization.size();
    }

    @Override
    public double getThreshold() {
        return threshold;
    }

    /** Replaces the threshold learned from {@code contamination}, e.g. with one picked on labelled data. */
    public AutoencoderDetectorModel setThreshold(double value) {
        this.threshold = value;
        return this;
    }

    /** The trained DL4J network (a copy: changing it does not change the model). */
    public MultiLayerNetwork network() {
        return network.clone();
    }

    public Standardization featureStandardization() {
        return standardization;
    }

    private boolean hasPrediction() {
        return !Double.isNaN(threshold) && !getPredictionCol().isEmpty();
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType outputSchema = transformSchema(dataset.schema());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<byte[]> networkBytes = sc.broadcast(NetworkBytes.toBytes(network));
        BatchScorer scorer = new BatchScorer(networkBytes, new ReconstructionError(), standardization,
                dataset.schema().fieldIndex(getFeaturesCol()), getFeaturesCol(),
                hasPrediction() ? threshold : Double.NaN, getHandleInvalid());
        return dataset.toDF().mapPartitions(scorer, Encoders.row(outputSchema));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return outputSchema(this, schema, hasPrediction());
    }

    /** The input schema plus the score column and, when {@code withPrediction}, the prediction column. */
    static StructType outputSchema(DetectorParams<?> params, StructType schema, boolean withPrediction) {
        SchemaChecks.requireVectorColumn(schema, params.getFeaturesCol());
        SchemaChecks.requireAbsent(schema, params.getScoreCol(), "scoreCol");
        StructType out = schema.add(params.getScoreCol(), DataTypes.DoubleType, true);
        if (withPrediction && !params.getPredictionCol().isEmpty()) {
            SchemaChecks.requireAbsent(schema, params.getPredictionCol(), "predictionCol");
            out = out.add(params.getPredictionCol(), DataTypes.DoubleType, true);
        }
        return out;
    }

    @Override
    public AutoencoderDetectorModel copy(ParamMap extra) {
        AutoencoderDetectorModel copy = new AutoencoderDetectorModel(uid, network, standardization, threshold);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this) {
            @Override
            protected void writeData(FileSystem fs, Path directory) throws IOException {
                try (OutputStream out = fs.create(new Path(directory, NETWORK_FILE), false)) {
                    NetworkBytes.write(network, out);
                }
                JsonFile.write(fs, new Path(directory, STATE_FILE), new State(standardization.mean(),
                        standardization.scale(), Double.isNaN(threshold) ? null : threshold));
            }
        };
    }

    public static MLReader<AutoencoderDetectorModel> read() {
        return new StageReader<>(AutoencoderDetectorModel.class, AutoencoderDetectorModel::readData);
    }

    public static AutoencoderDetectorModel load(String path) {
        return read().load(path);
    }

    private static AutoencoderDetectorModel readData(String uid, FileSystem fs, Path directory) throws IOException {
        State state = JsonFile.read(fs, new Path(directory, STATE_FILE), State.class);
        MultiLayerNetwork network;
        try (InputStream in = fs.open(new Path(directory, NETWORK_FILE))) {
            network = NetworkBytes.read(in);
        }
        return new AutoencoderDetectorModel(uid, network, new Standardization(state.mean(), state.scale()),
                state.threshold() == null ? Double.NaN : state.threshold());
    }
}
