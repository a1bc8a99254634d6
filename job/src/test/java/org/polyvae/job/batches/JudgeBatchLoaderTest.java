package org.polyvae.job.batches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class JudgeBatchLoaderTest {
    private static final int[] MICROMETRES = {2, 3, 5, 10};

    /** A batch file as the export writes it: the images, and per row the window (µm) and E11. */
    private static MultiDataSet file() {
        INDArray images = Nd4j.rand(DataType.FLOAT, 8, 1, 6, 6);
        INDArray meta = Nd4j.create(new float[][] {{2, 150}, {3, 152}, {5, 149}, {10, 148}, {2, 151}, {3, 147},
            {5, 153}, {10, 150}});
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {images}, new INDArray[] {meta});
    }

    @Test
    void theAugmentedLoaderTransformsTheImagesByTheFileNameAndKeepsTheTargets() throws IOException {
        MultiDataSet file = file();
        JudgeBatchLoader plain = new JudgeBatchLoader(MICROMETRES, 150, 2);
        SymmetryAugmentation symmetries = new SymmetryAugmentation(7);
        MultiDataSet asIs = plain.toJudge(file, "/out/batches/train/batch-00003.bin");
        MultiDataSet augmented = plain.augmented(symmetries, 4).toJudge(file, "/out/batches/train/batch-00003.bin");
        MultiDataSet elsewhere = plain.augmented(symmetries, 4).toJudge(file, "hdfs:///x/batch-00003.bin");

        assertEquals(file.getFeatures(0), asIs.getFeatures(0), "no augmentation: the images as they are");
        assertEquals(symmetries.apply(file.getFeatures(0), 4, "batch-00003.bin"), augmented.getFeatures(0));
        assertNotEquals(asIs.getFeatures(0), augmented.getFeatures(0));
        assertEquals(augmented.getFeatures(0), elsewhere.getFeatures(0), "the draw depends on the name, not the folder");
        assertEquals(asIs.getLabels(0), augmented.getLabels(0), "class one-hot unchanged");
        assertEquals(asIs.getLabels(1), augmented.getLabels(1), "standardised E11 unchanged");
        assertEquals(1.0, asIs.getLabels(0).getDouble(3, 3), "10 µm is the fourth class");
        assertEquals(-1.5, asIs.getLabels(1).getDouble(5, 0), 1e-6, "E11 147 GPa standardised by mean 150, std 2");
    }
}
