package io.github.deepanomaly;

import io.github.deepanomaly.core.AnomalyDetector;
import io.github.deepanomaly.core.AnomalyDetectorModel;
import io.github.deepanomaly.core.SchemaChecks;
import io.github.deepanomaly.core.TrainingRows;
import io.github.deepanomaly.core.Standardization;
import io.github.deepanomaly.core.TrainingSummary;
import io.github.deepanomaly.image.ImageColumn;
import io.github.deepanomaly.image.ImageShape;
import io.github.deepanomaly.io.StageReader;
import io.github.deepanomaly.io.StageWriter;
import io.github.deepanomaly.nn.ConvAutoencoderStep;
import io.github.deepanomaly.score.ErrorScales;
import io.github.deepanomaly.score.NetworksScore;
import io.github.deepanomaly.score.ReconstructionError;
import io.github.deepanomaly.score.TrainingScores;
import io.github.deepanomaly.train.LocalStep;
import io.github.deepanomaly.train.Training;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * Convolutional autoencoder anomaly detector for images: learns to reconstruct the training images and
 * scores each image by its mean squared reconstruction error over pixels in [0, 1]; its explanation is a
 * heatmap of the error per pixel. Takes the column Spark's image source reads ({@code
 * spark.read.format("image")}, grey or colour), or pixel values as a Vector or array with the image size
 * in {@code imageHeight}, {@code imageWidth}, {@code imageChannels}. Trained on the executors with
 * parameter averaging; images never reach the driver.
 */
public class ConvAutoencoderDetector extends AnomalyDetector<ConvAutoencoderDetectorModel, ConvAutoencoderDetector>
        implements ConvAutoencoderParams<ConvAutoencoderDetector>, MLWritable {

    private final ConvAutoencoderParamSet convParamSet;

    public ConvAutoencoderDetector(String uid) {
        super(uid, ConvAutoencoderParamSet.DEFAULT_SEED);
        this.convParamSet = new ConvAutoencoderParamSet(this);
        ConvAutoencoderParamSet.setSharedDefaults(this);
    }

    public ConvAutoencoderDetector() {
        this(Identifiable$.MODULE$.randomUID("convAutoencoderDetector"));
    }

    @Override
    public ConvAutoencoderParamSet convAutoencoderParamSet() {
        return convParamSet;
    }

    /**
     * Fits like every detector, once the image size is known: what the params leave open is read from the
     * data first, and the model carries the size it was trained on.
     */
    @Override
    public ConvAutoencoderDetectorModel fit(Dataset<?> dataset, Training.EpochListener listener) {
        transformSchema(dataset.schema());
        if (getFilters().length == 0) {
            throw new IllegalArgumentException("filters is empty; give the filters of at least one convolution layer,"
                    + " e.g. 32,16");
        }
        ImageShape shape = ImageColumn.resolve(dataset, getFeaturesCol(), getImageHeight(), getImageWidth(),
                getImageChannels());
        if (shape.equals(sizeParams())) {
            return super.fit(dataset, listener);
        }
        ConvAutoencoderDetector sized = copy(new ParamMap().put(imageHeight(), shape.height())
                .put(imageWidth(), shape.width()).put(imageChannels(), shape.channels()));
        return sized.fit(dataset, listener).setParent(this);
    }

    private ImageShape sizeParams() {
        return getImageHeight() > 0 && getImageWidth() > 0 && getImageChannels() > 0 ? imageShape() : null;
    }

    /** The images as network rows, on the executors: Vectors of pixels in [0, 1], channel first. */
    @Override
    protected TrainingRows trainingRows(Dataset<?> dataset) {
        return TrainingRows.select(ImageColumn.forTraining(dataset, getFeaturesCol(), imageShape(), getHandleInvalid()),
                getFeaturesCol(), getHandleInvalid());
    }

    @Override
    protected String detectorName() {
        return "conv-autoencoder";
    }

    @Override
    protected LocalStep localStep(int numFeatures) {
        ImageShape shape = imageShape();
        if (numFeatures != shape.size()) {
            throw new IllegalArgumentException("Column '" + getFeaturesCol() + "' has rows of " + numFeatures
                    + " values, but " + shape.describe() + " images have " + shape.size() + "; check imageHeight,"
                    + " imageWidth and imageChannels");
        }
        return new ConvAutoencoderStep(shape, getFilters(), getKernelSize(), getLatentSize(), getStepSize(), getSeed());
    }

    @Override
    protected NetworksScore trainingScore(Training.Result result, List<ErrorScales> scales) {
        ReconstructionError error = new ReconstructionError();
        return (networks, batch) -> error.scores(networks.get(0), batch.input());
    }

    @Override
    protected ConvAutoencoderDetectorModel createModel(Training.Result result, Standardization standardization,
            TrainingScores.Summary scores, List<ErrorScales> scales) {
        return new ConvAutoencoderDetectorModel(uid(), result.network(), standardization, scores.threshold(),
                scores.distribution()).withTrainingSummary(TrainingSummary.of(result));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ImageColumn.kindOf(SchemaChecks.requireColumn(schema, getFeaturesCol()));
        return AnomalyDetectorModel.outputSchema(this, schema, getContamination() > 0, SQLDataTypes.VectorType());
    }

    @Override
    public MLWriter write() {
        return new StageWriter(this);
    }

    public static MLReader<ConvAutoencoderDetector> read() {
        return new StageReader<>(ConvAutoencoderDetector.class, (uid, fs, dir) -> new ConvAutoencoderDetector(uid));
    }

    public static ConvAutoencoderDetector load(String path) {
        return read().load(path);
    }
}
