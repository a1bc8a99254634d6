package org.polyvae.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists a dataset in the {@link DatasetLayout} on any Hadoop FileSystem and pairs every present image with
 * its label. Runs on the driver; only listings and the small labels files are read here.
 *
 * <p>Labels are matched to images by position: the k-th row of a chunk's labels CSV belongs to the k-th
 * present image of that chunk in ascending image number (the numbering has gaps). Anything that would make
 * that pairing ambiguous is an error rather than a guess: a missing labels file or image folder, a label
 * count different from the image count, an unparsable label, or two files with the same image number.
 *
 * <p>A requested class whose folder is missing is logged and reported in
 * {@link DatasetIndex#missingClasses()}, as long as at least one requested class exists; callers that need
 * all of them call {@link DatasetIndex#requireAllClasses()}.
 */
public final class DatasetScanner {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetScanner.class);

    private DatasetScanner() {
    }

    /**
     * Resolves a dataset location to a fully qualified path. A string without a scheme is a path on the
     * default FileSystem ({@code fs.defaultFS}); when that is the local one, a relative path is resolved
     * against the working directory, so "data/polysilicon" works from the project folder.
     */
    public static Path resolveRoot(String rootUri, Configuration conf) throws IOException {
        if (rootUri == null || rootUri.isBlank()) {
            throw new IllegalArgumentException("dataset root must not be empty");
        }
        Path path = new Path(rootUri);
        if (path.toUri().getScheme() == null && "file".equals(FileSystem.getDefaultUri(conf).getScheme())) {
            return new Path(Paths.get(rootUri).toAbsolutePath().normalize().toUri());
        }
        return path.getFileSystem(conf).makeQualified(path);
    }

    public static DatasetIndex scan(String rootUri, Set<WindowClass> classes, Configuration conf)
            throws IOException {
        Path root = resolveRoot(rootUri, conf);
        return scan(root.getFileSystem(conf), root, classes);
    }

    public static DatasetIndex scan(FileSystem fs, Path root, Set<WindowClass> classes) throws IOException {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("no window classes requested");
        }
        Path qualifiedRoot = fs.makeQualified(root);
        FileStatus rootStatus = statusOrNull(fs, qualifiedRoot);
        if (rootStatus == null || !rootStatus.isDirectory()) {
            throw new DatasetFormatException("dataset root " + qualifiedRoot
                    + (rootStatus == null ? " does not exist" : " is not a directory")
                    + "; expected a folder holding Generated_Images_{L}x{L} class folders (see data/README.md)");
        }
        Set<WindowClass> requested = EnumSet.copyOf(classes);
        Set<WindowClass> missing = EnumSet.noneOf(WindowClass.class);
        List<ImageEntry> entries = new ArrayList<>();
        for (WindowClass c : requested) {
            Path classDir = DatasetLayout.classDir(qualifiedRoot, c);
            FileStatus status = statusOrNull(fs, classDir);
            if (status == null || !status.isDirectory()) {
                missing.add(c);
                continue;
            }
            scanClass(fs, classDir, c, entries);
        }
        if (missing.size() == requested.size()) {
            throw new DatasetFormatException("dataset root " + qualifiedRoot + " has none of the class folders "
                    + folderNames(requested) + "; it contains " + describeChildren(fs, qualifiedRoot));
        }
        for (WindowClass c : missing) {
            LOG.warn("dataset root {} has no class folder {}: reading without class {}", qualifiedRoot,
                    DatasetLayout.classFolderName(c), c.token());
        }
        return new DatasetIndex(qualifiedRoot.toString(), entries, requested, missing);
    }

    private static void scanClass(FileSystem fs, Path classDir, WindowClass c, List<ImageEntry> out)
            throws IOException {
        List<FileStatus> chunks = new ArrayList<>();
        for (FileStatus s : fs.listStatus(classDir)) {
            if (s.isDirectory() && !isHidden(s.getPath())) {
                chunks.add(s);
            } else if (!isHidden(s.getPath())) {
                LOG.warn("ignoring {}: expected only chunk folders (1k, 2k, ...) in a class folder", s.getPath());
            }
        }
        if (chunks.isEmpty()) {
            throw new DatasetFormatException("class folder " + classDir
                    + " contains no chunk folders; expected folders like 1k, 2k, ...");
        }
        chunks.sort((a, b) -> DatasetLayout.CHUNK_ORDER.compare(a.getPath().getName(), b.getPath().getName()));
        Map<Integer, String> chunkOfNumber = new HashMap<>();
        int crossChunkDuplicates = 0;
        for (FileStatus chunk : chunks) {
            String chunkName = chunk.getPath().getName();
            for (ImageEntry e : scanChunk(fs, chunk.getPath(), c)) {
                if (chunkOfNumber.putIfAbsent(e.number(), chunkName) != null && crossChunkDuplicates++ == 0) {
                    // Allowed: the pairing is per chunk, so it stays unambiguous. Worth a look, though.
                    LOG.warn("class folder {}: image number {} appears in chunks {} and {}", classDir,
                            e.number(), chunkOfNumber.get(e.number()), chunkName);
                }
                out.add(e);
            }
        }
        if (crossChunkDuplicates > 1) {
            LOG.warn("class folder {}: {} image numbers appear in more than one chunk", classDir,
                    crossChunkDuplicates);
        }
    }

    private static List<ImageEntry> scanChunk(FileSystem fs, Path chunkDir, WindowClass c) throws IOException {
        String chunkName = chunkDir.getName();
        FileStatus labelsFile = null;
        FileStatus imageDir = null;
        for (FileStatus s : fs.listStatus(chunkDir)) {
            String name = s.getPath().getName();
            if (s.isFile() && name.equals(DatasetLayout.labelsFileName(c))) {
                labelsFile = s;
            } else if (s.isDirectory() && name.equals(DatasetLayout.imageFolderName(c))) {
                imageDir = s;
            }
        }
        if (labelsFile == null) {
            throw new DatasetFormatException("chunk folder " + chunkDir + " has no labels file "
                    + DatasetLayout.labelsFileName(c));
        }
        if (imageDir == null) {
            throw new DatasetFormatException("chunk folder " + chunkDir + " has no image folder \""
                    + DatasetLayout.imageFolderName(c) + "\"");
        }
        TreeMap<Integer, Path> images = listImages(fs, imageDir.getPath(), c);
        double[] labels = LabelsCsv.read(fs, labelsFile.getPath());
        if (labels.length != images.size()) {
            throw new DatasetFormatException("chunk folder " + chunkDir + ": "
                    + DatasetLayout.labelsFileName(c) + " has " + labels.length + " labels but \""
                    + DatasetLayout.imageFolderName(c) + "\" has " + images.size()
                    + " images; expected one label row per present image, in ascending image number");
        }
        if (images.isEmpty()) {
            LOG.warn("chunk folder {} holds no images", chunkDir);
        }
        List<ImageEntry> entries = new ArrayList<>(images.size());
        int row = 0;
        for (Map.Entry<Integer, Path> image : images.entrySet()) {
            entries.add(new ImageEntry(c, chunkName, image.getKey(), image.getValue().toString(), labels[row++]));
        }
        return entries;
    }

    private static TreeMap<Integer, Path> listImages(FileSystem fs, Path imageDir, WindowClass c)
            throws IOException {
        TreeMap<Integer, Path> images = new TreeMap<>();
        for (FileStatus s : fs.listStatus(imageDir)) {
            Path p = s.getPath();
            if (isHidden(p)) {
                // Hadoop's own side files (.name.crc checksums of files written through LocalFileSystem,
                // _SUCCESS): expected next to data, so not worth a warning each.
                LOG.debug("ignoring hidden file {}", p);
                continue;
            }
            OptionalInt index = s.isFile() ? parseIndex(c, p.getName()) : OptionalInt.empty();
            if (index.isEmpty()) {
                LOG.warn("ignoring {}: not an image named rve-{}-reg2-{i}-1.jpg", p, c.token());
                continue;
            }
            Path previous = images.put(index.getAsInt(), p);
            if (previous != null) {
                throw new DatasetFormatException("image folder " + imageDir + " has two files with image number "
                        + index.getAsInt() + ": \"" + previous.getName() + "\" and \"" + p.getName()
                        + "\"; labels could not be matched to images");
            }
        }
        return images;
    }

    private static boolean isHidden(Path p) {
        String name = p.getName();
        return name.startsWith(".") || name.startsWith("_");
    }

    private static OptionalInt parseIndex(WindowClass c, String name) {
        try {
            return DatasetLayout.parseImageNumber(c, name);
        } catch (NumberFormatException e) {
            return OptionalInt.empty(); // more digits than an int holds: not one of ours
        }
    }

    private static FileStatus statusOrNull(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    private static String folderNames(Set<WindowClass> classes) {
        return classes.stream().map(DatasetLayout::classFolderName).collect(Collectors.joining(", "));
    }

    private static String describeChildren(FileSystem fs, Path dir) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        if (children.length == 0) {
            return "nothing";
        }
        StringJoiner names = new StringJoiner(", ", "", children.length > 10 ? ", ..." : "");
        Arrays.stream(children).limit(10).forEach(s -> names.add(s.getPath().getName()));
        return names.toString();
    }
}
