package io.github.deepanomaly.score;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A partition's output made one batch at a time, as it is read: what a task returns never sits in memory all
 * at once, only the batch being read.
 */
final class BatchIterator {
    private BatchIterator() {
    }

    /** The rows of the batches {@code nextBatch} makes, asked for while {@code moreInput} says there is input left. */
    static <T> Iterator<T> of(BooleanSupplier moreInput, Supplier<List<T>> nextBatch) {
        return new Iterator<>() {
            private Iterator<T> pending = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!pending.hasNext() && moreInput.getAsBoolean()) {
                    pending = nextBatch.get().iterator();
                }
                return pending.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.next();
            }
        };
    }
}
