package org.polyvae.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.polyvae.model.NativeThreads;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.job.evaluate.JudgeCalibration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The judge calibration table (README, "Evaluation") of a configuration: its judge (trained, or reused when
 * saved) scores held-out real images, the same images blurred and posterised, Voronoi microstructures at
 * the data's, half and double the grain density and at the data's density drawn sharp, and the raw samples
 * in polyvae.evaluate.samples when present. Prints the Markdown table on stdout.
 */
@Command(name = "judge-calibration", mixinStandardHelpOptions = true)
public final class JudgeCalibrationBenchmark implements Callable<Integer> {
    @Option(names = "--conf", description = "Configuration file(s), as for the stages (e.g. conf/local.conf).")
    List<File> conf = new ArrayList<>();

    @Option(names = "--master", description = "Spark master (default ${DEFAULT-VALUE}).")
    String master = "local[2]";

    @Parameters(paramLabel = "KEY=VALUE", description = "Configuration overrides.")
    List<String> overrides = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new JudgeCalibrationBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        NativeThreads.useConfigured(); // as stage train's driver and workers: OMP_NUM_THREADS, not ND4J's 4
        PolyvaeConfig config = PolyvaeConfig.load(conf, overrides);
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster(master).setAppName("judge-calibration")
                .set("spark.ui.enabled", "false")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", org.polyvae.job.spark.RecordsKryoRegistrator.class.getName()))) {
            System.out.print(JudgeCalibration.markdown(JudgeCalibration.run(config, sc)));
        }
        return 0;
    }
}
