package org.polyvae.model;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/**
 * Configuration side of polyvae's parameter-free graph vertices: no parameters, a fixed number of inputs
 * ({@link #inputCount()}, one unless overridden), and a memory report of the output alone (override it when
 * the vertex keeps working memory). Subclasses keep a public no-argument constructor and bean
 * getters/setters: DL4J serialises vertices to JSON by class name.
 */
public abstract class ParameterFreeVertex extends GraphVertex {
    private static final long serialVersionUID = 1L;

    /** How many inputs the vertex takes. */
    protected int inputCount() {
        return 1;
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return inputCount();
    }

    @Override
    public int maxVertexInputs() {
        return inputCount();
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], out)
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }
}
