package org.polyvae.onnx;

/**
 * A network holds a vertex, layer, activation or setting that {@link GraphTranslator} has no ONNX translation
 * for; the message names the vertex and what it is. Nothing is written: an export either translates every
 * vertex it needs or fails.
 */
public final class UnsupportedExportException extends IllegalArgumentException {
    public UnsupportedExportException(String message) {
        super(message);
    }
}
