package org.polyvae.job.batches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class VaeBatchLoaderTest {

    private static byte[] saved(org.nd4j.linalg.dataset.MultiDataSet file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        file.save(out);
        return out.toByteArray();
    }

    private static org.nd4j.linalg.dataset.MultiDataSet batch() {
        Nd4j.getRandom().setSeed(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 5, 1, 8, 8);
        INDArray meta = Nd4j.create(new float[][] {{2, 150}, {3, 152}, {5, 149}, {10, 148}, {2, 151}});
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {images}, new INDArray[] {meta});
    }

    private static void assertSameAsNd4jsLoader(byte[] bytes) throws IOException {
        org.nd4j.linalg.dataset.MultiDataSet theirs = new org.nd4j.linalg.dataset.MultiDataSet();
        theirs.load(new ByteArrayInputStream(bytes));
        MultiDataSet ours = VaeBatchLoader.read(new ByteArrayInputStream(bytes), "batch.bin");
        assertEquals(theirs.getFeatures(0), ours.getFeatures(0));
        assertEquals(theirs.getFeatures(0).dataType(), ours.getFeatures(0).dataType());
        assertEquals(theirs.getLabels(0), ours.getLabels(0));
        assertEquals(theirs.getLabels().length, ours.getLabels().length);
        assertTrue(Arrays.equals(theirs.getFeaturesMaskArrays(), ours.getFeaturesMaskArrays()));
    }

    @Test
    void readsABatchFileAsNd4jsOwnLoaderDoes() throws IOException {
        org.nd4j.linalg.dataset.MultiDataSet file = batch();
        assertSameAsNd4jsLoader(saved(file));
        assertEquals(file.getFeatures(0), VaeBatchLoader.read(new ByteArrayInputStream(saved(file)), "b").getFeatures(0));
    }

    @Test
    void aFileWithMasksOrWithoutLabelsReadsAsNd4jsLoaderReadsIt() throws IOException {
        org.nd4j.linalg.dataset.MultiDataSet masked = batch();
        masked.setFeaturesMaskArrays(new INDArray[] {Nd4j.ones(DataType.FLOAT, 5, 1)});
        assertSameAsNd4jsLoader(saved(masked));

        org.nd4j.linalg.dataset.MultiDataSet unlabelled = new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[] {batch().getFeatures(0)}, new INDArray[0]);
        assertNull(VaeBatchLoader.read(new ByteArrayInputStream(saved(unlabelled)), "b").getLabels());
    }

    @Test
    void aTruncatedOrForeignFileNamesThePath() throws IOException {
        byte[] whole = saved(batch());
        IOException truncated = assertThrows(IOException.class, () -> VaeBatchLoader.read(
                new ByteArrayInputStream(Arrays.copyOf(whole, whole.length / 2)), "/out/batches/train/batch-00007.bin"));
        assertTrue(truncated.getMessage().contains("/out/batches/train/batch-00007.bin"), truncated.getMessage());

        org.nd4j.linalg.dataset.MultiDataSet flat = new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[] {Nd4j.rand(DataType.FLOAT, 5, 64)}, new INDArray[] {batch().getLabels(0)});
        IOException foreign = assertThrows(IOException.class, () -> VaeBatchLoader.read(
                new ByteArrayInputStream(saved(flat)), "x.bin"));
        assertTrue(foreign.getMessage().contains("not a polyvae image batch"), foreign.getMessage());
    }
}
