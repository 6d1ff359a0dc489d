package io.github.deepanomaly.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class SeasonalPeriodTest {

    private static List<double[]> sine(int n, int period, double noise, long seed) {
        Random random = new Random(seed);
        List<double[]> steps = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            steps.add(new double[] {Math.sin(2 * Math.PI * t / period) + noise * random.nextGaussian()});
        }
        return steps;
    }

    @Test
    void findsTheCycleOfANoisySeries() {
        assertEquals(24, SeasonalPeriod.of(sine(500, 24, 0.2, 1), 3));
        assertEquals(7, SeasonalPeriod.of(sine(400, 7, 0.1, 2), 3));
    }

    @Test
    void noiseAndConstantsHaveNoCycle() {
        Random random = new Random(3);
        List<double[]> noise = new ArrayList<>();
        List<double[]> constant = new ArrayList<>();
        for (int t = 0; t < 1000; t++) {
            noise.add(new double[] {random.nextGaussian()});
            constant.add(new double[] {5.0});
        }
        assertEquals(0, SeasonalPeriod.of(noise, 3));
        assertEquals(0, SeasonalPeriod.of(constant, 3));
    }

    @Test
    void aCycleTheSeriesHoldsFewerThanCyclesPlusOneTimesIsNotTaken() {
        // 90 steps hold 3.75 cycles of 24: with 3 cycles to compare with, lags up to 22 are searched, and the
        // autocorrelation still rising at 22 is the edge of the search, not a peak
        assertEquals(0, SeasonalPeriod.of(sine(90, 24, 0.0, 4), 3));
        assertEquals(24, SeasonalPeriod.of(sine(90, 24, 0.0, 4), 2));
        assertEquals(0, SeasonalPeriod.of(sine(500, 24, 0.0, 4), 0));
    }

    @Test
    void severalValueColumnsShareOnePeriodFromTheirMeanAutocorrelation() {
        List<double[]> steps = new ArrayList<>();
        Random random = new Random(5);
        for (int t = 0; t < 600; t++) {
            steps.add(new double[] {Math.cos(2 * Math.PI * t / 30) + 0.1 * random.nextGaussian(), 100 + 20 * Math.sin(2 * Math.PI * t / 30)});
        }
        assertEquals(30, SeasonalPeriod.of(steps, 3));
    }

    /** A values cell as Spark holds it in a Row: a Scala sequence. */
    private static scala.collection.Seq<Double> values(double v) {
        return scala.collection.JavaConverters.asScalaBuffer(List.of(v)).toSeq();
    }

    @Test
    void onePeriodPerSeriesFromRowsInSeriesAndTimeOrder() {
        List<Row> rows = new ArrayList<>();
        for (double[] s : sine(300, 12, 0.05, 6)) {
            rows.add(RowFactory.create("a", values(s[0])));
        }
        Random random = new Random(7);
        for (int t = 0; t < 300; t++) {
            rows.add(RowFactory.create("b", values(random.nextGaussian())));
        }
        Iterator<Row> out = new SeasonalPeriod(3).call(rows.iterator());
        assertEquals(RowFactory.create("a", 12), out.next());
        assertEquals(RowFactory.create("b", 0), out.next());
    }

    @Test
    void theSeasonalErrorIsTheDistanceFromTheMeanOfTheSameStepInEarlierCycles() {
        ForecastState state = new ForecastState(2, 1, 2);
        Random random = new Random(8);
        int period = 5;
        int cycles = 3;
        List<float[]> seen = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            float[] step = {(float) random.nextGaussian(), (float) (10 * random.nextGaussian())};
            double[] smoothed = state.seasonal(step, period, cycles, 1.0);
            if (t < period * cycles) {
                assertNull(smoothed, "step " + t);
            } else {
                for (int j = 0; j < 2; j++) {
                    double past = 0;
                    for (int k = 1; k <= cycles; k++) {
                        past += seen.get(t - k * period)[j];
                    }
                    assertEquals(Math.abs(step[j] - past / cycles), smoothed[j], 1e-5, "step " + t + " column " + j);
                }
            }
            seen.add(step);
        }
        // with smoothing: an EWMA of those errors, starting at the first
        ForecastState smoothedState = new ForecastState(2, 1, 1);
        double ewma = Double.NaN;
        for (int t = 0; t < 30; t++) {
            float v = (float) Math.sin(t);
            double[] s = smoothedState.seasonal(new float[] {v}, 2, 1, 0.5);
            if (t >= 2) {
                double e = Math.abs(v - (float) Math.sin(t - 2));
                ewma = Double.isNaN(ewma) ? e : 0.5 * e + 0.5 * ewma;
                assertEquals(ewma, s[0], 1e-6, "step " + t);
            }
        }
    }

    @Test
    void calibrationSumsEachErrorInUnitsOfItsMeanAndCountsAMissingSeasonalErrorAsItsMean() {
        List<Row> rows = new ArrayList<>();
        double[] forecast = {1, 2, 3, 2};
        Double[] seasonal = {null, 4.0, 2.0, 6.0};
        for (int i = 0; i < forecast.length; i++) {
            rows.add(RowFactory.create("s", forecast[i], seasonal[i]));
        }
        rows.add(RowFactory.create("plain", 1.0, null));
        rows.add(RowFactory.create("plain", 3.0, null));
        Iterator<Row> out = new ErrorCalibration(false, 0.05).call(rows.iterator());
        Row s = out.next();
        assertEquals(2.0, s.getDouble(4), 1e-12);
        assertEquals(4.0, s.getDouble(5), 1e-12);
        // combined: 1/2 + 1, 2/2 + 4/4, 3/2 + 2/4, 2/2 + 6/4 = 1.5, 2, 2, 2.5: median 2, IQR 2 - 1.5 = 0.5
        assertEquals(2.0, s.getDouble(1), 1e-12);
        assertEquals(0.5, s.getDouble(2), 1e-12);
        Row plain = out.next();
        assertEquals(0.0, plain.getDouble(5));
        assertEquals(1.0, plain.getDouble(1), 1e-12);
    }
}
