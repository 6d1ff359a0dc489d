package io.github.deepanomaly.image;

import java.io.Serializable;

/**
 * The size of a detector's images: height and width in pixels and channels (1 grey, 3 colour, 4 colour
 * with alpha). A network input row holds {@link #size()} values, channel first (all of channel 0 row by
 * row, then channel 1, ...), the order DL4J's {@code InputType.convolutionalFlat} reshapes from.
 */
public record ImageShape(int height, int width, int channels) implements Serializable {

    public ImageShape {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("An image needs a positive height, width and channel count, got "
                    + height + "x" + width + "x" + channels);
        }
    }

    public int size() {
        return height * width * channels;
    }

    /** "28x28 grey", "32x32 colour", "32x32 colour with alpha", "8x8 with 2 channels". */
    public String describe() {
        String kind = switch (channels) {
            case 1 -> "grey";
            case 3 -> "colour";
            case 4 -> "colour with alpha";
            default -> "with " + channels + " channels";
        };
        return height + "x" + width + " " + kind;
    }
}
