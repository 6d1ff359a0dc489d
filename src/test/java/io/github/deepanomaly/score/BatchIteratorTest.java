package io.github.deepanomaly.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {
    @Test
    void readsEveryBatchInOrderPastEmptyOnesAndAsksForABatchOnlyWhenTheLastIsRead() {
        Iterator<List<Integer>> batches = List.of(List.of(1, 2), List.<Integer>of(), List.of(3), List.<Integer>of())
                .iterator();
        int[] made = {0};
        Iterator<Integer> rows = BatchIterator.of(batches::hasNext, () -> {
            made[0]++;
            return batches.next();
        });
        assertEquals(0, made[0], "nothing made before it is read");
        assertEquals(1, rows.next());
        assertEquals(1, made[0]);
        List<Integer> rest = new ArrayList<>();
        rows.forEachRemaining(rest::add);
        assertEquals(List.of(2, 3), rest);
        assertEquals(4, made[0]);
        assertFalse(rows.hasNext());
        assertThrows(NoSuchElementException.class, rows::next);
    }

    @Test
    void noInputNoRows() {
        Iterator<Integer> rows = BatchIterator.of(() -> false, () -> {
            throw new AssertionError("no batch to make");
        });
        assertFalse(rows.hasNext());
        assertThrows(NoSuchElementException.class, rows::next);
    }
}
