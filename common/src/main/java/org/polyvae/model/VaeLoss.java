package org.polyvae.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The VAE's loss terms on one minibatch, per-image means from a training-mode forward pass (z sampled, as in
 * the loss being optimised, from the graph's own noise for its current step, so the same parameters at the same
 * epoch and iteration give the same figure; see {@link ReparameterizationVertex}): the negative ELBO as
 * its reconstruction (the likelihood's loss plus the boundary head's, the boundary map being part of what the
 * decoder reconstructs) and β·KL, and the adversarial term's discriminator cross-entropy (NaN without it),
 * which is reported beside the ELBO, not in it. The weight penalty (l2) is not part of any term.
 *
 * <p>It gives what {@code ComputationGraph.score(batch, true)} leaves in the output layers, but keeps the
 * memory bounded: {@code score} detaches every vertex's activations into off-heap buffers that only the JVM's
 * collector frees, which over a few hundred minibatches grows the resident set by gigabytes. Here the graph
 * runs in DL4J's workspaces up to the output layers' inputs, and each output layer scores its input inside a
 * workspace that is reused for every minibatch.
 */
public record VaeLoss(double reconstruction, double kl, double adversarial) {
    private static final String WORKSPACE = "POLYVAE_LOSS_TERMS";
    private static final WorkspaceConfiguration WORKSPACE_CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT).policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).build();

    /** The negative ELBO per image. */
    public double total() {
        return reconstruction + kl;
    }

    /** The terms of {@code vae} (a graph of {@link VaeArchitecture#vae()}) on {@code batch}. */
    public static VaeLoss of(ComputationGraph vae, MultiDataSet batch) {
        ComputationGraphConfiguration conf = vae.getConfiguration();
        List<String> outputs = conf.getNetworkOutputs();
        List<String> scored = new ArrayList<>();
        for (String output : outputs) {
            List<String> in = conf.getVertexInputs().get(output);
            if (in == null || in.size() != 1 || !(vae.getLayer(output) instanceof IOutputLayer)) {
                throw new IllegalArgumentException("graph output '" + output + "' is not an output layer with one "
                        + "input (inputs " + in + "): not a VAE of VaeArchitecture.vae()");
            }
            scored.add(in.get(0));
        }
        if (batch.getLabels().length != outputs.size()) {
            throw new IllegalArgumentException("the minibatch has " + batch.getLabels().length + " label arrays, "
                    + "the graph " + outputs.size() + " outputs " + outputs);
        }
        int n = (int) batch.getFeatures(0).size(0);
        INDArray[] inputs = vae.output(scored, true, batch.getFeatures(), batch.getFeaturesMaskArrays());
        // Scoring allocates in the workspace; the output layers' inputs are taken as they are (not copied in).
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder().defaultWorkspace(WORKSPACE, WORKSPACE_CONFIG)
                .noWorkspaceFor(ArrayType.INPUT).build();
        double[] scores = new double[outputs.size()];
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE_CONFIG,
                WORKSPACE)) {
            for (int i = 0; i < scores.length; i++) {
                Layer layer = vae.getLayer(outputs.get(i));
                try {
                    layer.setInput(inputs[i], mgr);
                    layer.setInputMiniBatchSize(n);
                    ((IOutputLayer) layer).setLabels(batch.getLabels(i));
                    scores[i] = ((IOutputLayer) layer).computeScore(0, true, mgr);
                } finally {
                    layer.clear();
                }
            }
        } finally {
            for (INDArray a : inputs) {
                if (a.closeable()) {
                    a.close();
                }
            }
        }
        double boundary = outputs.contains(VaeArchitecture.BOUNDARY)
                ? scores[outputs.indexOf(VaeArchitecture.BOUNDARY)] : 0;
        return new VaeLoss(scores[outputs.indexOf(VaeArchitecture.RECONSTRUCTION)] + boundary,
                scores[outputs.indexOf(VaeArchitecture.KL)], outputs.contains(VaeArchitecture.ADVERSARIAL)
                        ? scores[outputs.indexOf(VaeArchitecture.ADVERSARIAL)] : Double.NaN);
    }
}
