package org.polyvae.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics/train.csv: rows written and read back, a file from before the adversarial columns, a broken row. */
class TrainMetricsTest {
    @TempDir
    Path dir;

    private TrainMetrics metrics(Path csv) throws IOException {
        return new TrainMetrics(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(csv.toUri()));
    }

    @Test
    void rowsRoundTripWithTheAdversarialColumns() throws IOException {
        Path csv = dir.resolve("train.csv");
        TrainMetrics written = metrics(csv);
        written.add(new TrainMetrics.Row(1, 10, 8, 2, 11, 9, 2, 50, 3, 0.003, 88.5, 87.25));
        written.add(new TrainMetrics.Row(2, 9, 7, 2, 10, 8, 2, 60, 2.5, 0.00285, Double.NaN, Double.NaN));
        assertEquals(TrainMetrics.HEADER, Files.readAllLines(csv).get(0));
        TrainMetrics read = metrics(csv);
        read.loadUpTo(2);
        assertEquals(written.rows(), read.rows());
        assertEquals(88.5, read.rows().get(0).trainAdversarial(), 0.0);
        read.loadUpTo(1);
        assertEquals(1, read.rows().size());
    }

    @Test
    void aFileWrittenBeforeTheAdversarialColumnsReadsThemAsNaN() throws IOException {
        Path csv = dir.resolve("old.csv");
        Files.write(csv, List.of("epoch,train_loss,train_reconstruction,train_kl,validation_loss,"
                + "validation_reconstruction,validation_kl,images_per_second,seconds,learning_rate",
                "1,10.0,8.0,2.0,11.0,9.0,2.0,50.00,3.00,0.00300000"));
        TrainMetrics read = metrics(csv);
        read.loadUpTo(5);
        assertEquals(1, read.rows().size());
        assertEquals(11.0, read.rows().get(0).valLoss(), 0.0);
        assertTrue(Double.isNaN(read.rows().get(0).trainAdversarial()));
        assertTrue(Double.isNaN(read.rows().get(0).valAdversarial()));
    }

    @Test
    void aRowWithTheWrongColumnCountNamesTheFileAndTheLine() throws IOException {
        Path csv = dir.resolve("broken.csv");
        Files.write(csv, List.of(TrainMetrics.HEADER, "1,10.0,8.0"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> metrics(csv).loadUpTo(5));
        assertTrue(e.getMessage().contains("broken.csv") && e.getMessage().contains("line 1"), e.getMessage());
    }
}
