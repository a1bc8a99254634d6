package org.polyvae.job;

import org.polyvae.job.spark.SparkContexts;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.polyvae.config.ConfigError;
import org.polyvae.config.PolyvaeConfig;
import org.polyvae.config.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code polyvae <stage> [--conf FILE ...] [--skip-existing] [key=value ...]}, run through spark-submit
 * (submit/local.sh, submit/yarn.sh). Exit codes: 0 done, 1 the stage failed (a {@link UserError} prints
 * its message alone; anything else is logged with its stack trace), 2 usage or configuration error.
 */
@Command(name = "polyvae", mixinStandardHelpOptions = true, version = "polyvae 0.1.0",
        description = "Synthesise polysilicon microstructure datasets and train/sample/explore a VAE on Spark.",
        footer = {"", "Configuration layers, highest first: key=value arguments, -D system properties, --conf FILEs (last first),",
                "conf/application.conf (bundled defaults; every key documented there)."})
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final String ONEDNN_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    @Parameters(index = "0", paramLabel = "<stage>", description = "One of: ${COMPLETION-CANDIDATES}.")
    Stage stage;

    @Option(names = "--conf", paramLabel = "FILE",
            description = "HOCON file overriding conf/application.conf; repeat to layer files, later winning "
                    + "(e.g. --conf conf/local.conf --conf conf/experiments/beta-2.conf).")
    List<File> confs = new ArrayList<>();

    @Option(names = "--skip-existing",
            description = "synth only: skip it when polyvae.data.dir already holds a dataset (instead of failing), "
                    + "unless polyvae.synth.overwrite=true. The other stages ignore it.")
    boolean skipExisting;

    @Parameters(index = "1..*", paramLabel = "key=value",
            description = "HOCON path overrides, e.g. polyvae.synth.count-per-class=300; they win over the file.")
    List<String> overrides = new ArrayList<>();

    public static void main(String[] args) {
        int code = run(args);
        // In YARN cluster mode the driver runs inside Spark's ApplicationMaster, which must see main()
        // return to report success: System.exit(0) there counts as "exited before reporting a final status",
        // a failed attempt that YARN then retries.
        if (code != 0 || !"cluster".equals(System.getProperty("spark.submit.deployMode"))) {
            System.exit(code);
        }
    }

    static int run(String... args) {
        // ND4J's oneDNN natives (fast convolutions) when the launcher did not choose; must precede ND4J's
        // first use. submit/jvm.properties sets it for every JVM, executors included.
        if (System.getProperty(ONEDNN_PROPERTY) == null) {
            System.setProperty(ONEDNN_PROPERTY, "-onednn");
        }
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            Stage stage = ((Main) commandLine.getCommand()).stage;
            if (e instanceof ConfigError) {
                LOG.debug("configuration error", e);
                commandLine.getErr().println("polyvae: configuration error: " + e.getMessage());
                return 2;
            }
            UserError userError = userError(e);
            if (userError != null) {
                // The message says what to fix; the trace would only bury it.
                LOG.debug("stage {} failed", stage, e);
                commandLine.getErr().println("polyvae: " + stage + ": " + userError.getMessage());
                return 1;
            }
            LOG.error("stage failed", e);
            commandLine.getErr().println("polyvae: stage " + stage + " failed: " + e);
            return 1;
        });
        return cli.execute(args);
    }

    /** The user error that caused {@code e} (itself or a cause), or null for an unexpected failure. */
    private static UserError userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UserError u) {
                return u;
            }
        }
        return null;
    }

    @Override
    public Integer call() throws Exception {
        // Validate everything before Spark starts: a typo should cost a second, not a cluster allocation.
        PolyvaeConfig config = PolyvaeConfig.load(confs, overrides);
        try (JavaSparkContext sc = SparkContexts.create("polyvae " + stage, config)) {
            stage.run(sc, config, skipExisting);
        }
        return 0;
    }
}
