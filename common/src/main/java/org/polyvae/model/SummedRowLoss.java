package org.polyvae.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What polyvae's losses share: the score is the sum of the per-row scores (averaged over the rows when
 * asked), and a mask zeroes whole rows (one example, or one pixel inside {@code CnnLossLayer}).
 */
abstract class SummedRowLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /** Zeroes the rows the mask switches off, in place; a per-output mask counts a row in if any output is. */
    static INDArray masked(INDArray perRow, INDArray mask) {
        if (mask != null) {
            perRow.muliColumnVector(mask.size(1) == 1 ? mask : mask.max(true, 1));
        }
        return perRow;
    }
}
