package org.polyvae.job.synth;

import org.polyvae.image.JpegCodec;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.polyvae.config.SynthSettings;
import org.polyvae.data.DatasetLayout;
import org.polyvae.data.WindowClass;
import org.polyvae.io.DataFileSystems;
import org.polyvae.fem.CubicCrystal;
import org.polyvae.fem.Homogenized;
import org.polyvae.fem.PlaneStressHomogenizer;
import org.polyvae.synth.GrainProcess;
import org.polyvae.synth.Microstructure;
import org.polyvae.synth.MicrostructureGenerator;

/**
 * Runs on an executor, one call per partition: generates each task's microstructure, writes its JPEG
 * straight into the dataset's temporary folder, and solves its FE homogenisation for E11. The generator and
 * the FE solver (with its once-per-grid preconditioner) are built once per partition and reused.
 * Files are created with overwrite, so a retried or speculative task rewrites identical bytes.
 */
final class SynthWorker implements FlatMapFunction<Iterator<SynthTask>, SynthRecord> {
    private static final long serialVersionUID = 1L;

    private final SynthSettings settings;
    private final String tmpRoot;
    private final SerializableConfiguration hadoopConf;
    private final LongAccumulator done;

    SynthWorker(SynthSettings settings, String tmpRoot, SerializableConfiguration hadoopConf, LongAccumulator done) {
        this.settings = settings;
        this.tmpRoot = tmpRoot;
        this.hadoopConf = hadoopConf;
        this.done = done;
    }

    @Override
    public Iterator<SynthRecord> call(Iterator<SynthTask> tasks) throws Exception {
        Path root = new Path(tmpRoot);
        FileSystem fs = DataFileSystems.get(root, hadoopConf.value());
        MicrostructureGenerator generator = new MicrostructureGenerator(GrainProcess.of(settings));
        PlaneStressHomogenizer fem = new PlaneStressHomogenizer(settings.labelResolution(), CubicCrystal.SILICON,
                settings.femTolerance(), settings.femMaxIterations());
        List<SynthRecord> records = new ArrayList<>();
        while (tasks.hasNext()) {
            SynthTask task = tasks.next();
            WindowClass c = task.windowClass();
            Microstructure m = generator.generate(c, task.seed());
            Path file = DatasetLayout.imageFile(root, c, DatasetLayout.chunkName(task.number()), task.number());
            try (OutputStream out = fs.create(file, true)) {
                JpegCodec.writeGray(m.render(settings.imageSize()), settings.imageSize(),
                        (float) settings.jpegQuality(), out);
            }
            Homogenized h;
            try {
                h = fem.homogenize(m.elementAngles(settings.labelResolution()));
            } catch (RuntimeException e) {
                throw new IllegalStateException("FE homogenisation failed for " + DatasetLayout.imageFileName(c,
                        task.number()) + " (image seed " + task.seed() + "): " + e.getMessage(), e);
            }
            records.add(new SynthRecord(c, task.number(), h.e11(), m.visibleGrains(), h.iterations()));
            done.add(1);
        }
        return records.iterator();
    }
}
