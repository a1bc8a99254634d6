package org.polyvae.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.polyvae.data.DatasetFixture.labelsFor;
import static org.polyvae.data.DatasetFixture.range;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetScannerTest {
    private static final Set<WindowClass> ALL = EnumSet.allOf(WindowClass.class);
    private static final Set<WindowClass> W2_ONLY = EnumSet.of(WindowClass.W2);

    @TempDir
    Path tmp;
    private DatasetFixture fixture;
    private final Configuration conf = new Configuration();

    @BeforeEach
    void setUp() {
        fixture = new DatasetFixture(tmp.resolve("polysilicon"));
    }

    private DatasetIndex scan(Set<WindowClass> classes) throws IOException {
        return DatasetScanner.scan(fixture.root().toUri().toString(), classes, conf);
    }

    private DatasetFormatException scanFails(Set<WindowClass> classes) {
        return assertThrows(DatasetFormatException.class, () -> scan(classes));
    }

    @Test
    void labelsAlignWithThePresentImagesNotWithTheNumbering() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", new int[] {1, 2, 4, 5}, new double[] {10.5, 11.5, 12.5, 13.5});
        DatasetIndex index = scan(W2_ONLY);
        List<ImageEntry> entries = index.entries();
        assertEquals(List.of(1, 2, 4, 5), entries.stream().map(ImageEntry::number).collect(Collectors.toList()));
        assertEquals(12.5, entries.get(2).e11(), "image 4 is the third present image: third label");
        assertEquals(13.5, entries.get(3).e11());
        assertEquals(4, index.count(WindowClass.W2));
        assertTrue(entries.get(2).path().startsWith("file:/"), entries.get(2).path());
        assertTrue(entries.get(2).path().endsWith("/Generated_Images_2x2/1k/Dataset Original 2x2/rve-2x2-reg2-4-1.jpg"),
                entries.get(2).path());
    }

    @Test
    void imageNumbersSortNumericallyNotAsText() throws IOException {
        int[] indices = {9, 10, 100, 2};
        fixture.chunk(WindowClass.W2, "1k", indices, new double[] {1, 2, 3, 4});
        List<ImageEntry> entries = scan(W2_ONLY).entries();
        assertEquals(List.of(2, 9, 10, 100), entries.stream().map(ImageEntry::number).collect(Collectors.toList()));
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), entries.stream().map(ImageEntry::e11).collect(Collectors.toList()));
    }

    @Test
    void chunksAndClassesComeInNaturalOrder() throws IOException {
        for (String chunk : new String[] {"10k", "2k", "1k"}) {
            int first = Integer.parseInt(chunk.replace("k", "")) * 10;
            int[] indices = range(first, first + 1);
            fixture.chunk(WindowClass.W3, chunk, indices, labelsFor(indices));
        }
        fixture.chunk(WindowClass.W10, "1k", range(1, 1), labelsFor(range(1, 1)));
        fixture.chunk(WindowClass.W2, "1k", range(1, 2), labelsFor(range(1, 2)));
        DatasetIndex index = scan(EnumSet.of(WindowClass.W10, WindowClass.W3, WindowClass.W2));
        assertEquals(List.of("2x2 1k", "2x2 1k", "3x3 1k", "3x3 1k", "3x3 2k", "3x3 2k", "3x3 10k", "3x3 10k",
                        "10x10 1k"),
                index.entries().stream().map(e -> e.windowClass().token() + " " + e.chunk())
                        .collect(Collectors.toList()));
        assertEquals(Map.of(WindowClass.W2, 2, WindowClass.W3, 6, WindowClass.W10, 1), index.counts());
        assertEquals(List.of(WindowClass.W2, WindowClass.W3, WindowClass.W10), List.copyOf(index.classes()));
    }

    @Test
    void labelCountMismatchNamesTheFolderAndBothCounts() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", range(1, 3), labelsFor(range(1, 3)));
        fixture.chunk(WindowClass.W2, "2k", new int[] {1001, 1002, 1004}, new double[] {1, 2, 3, 4, 5});
        DatasetFormatException e = scanFails(W2_ONLY);
        String chunkDir = fixture.chunkDir(WindowClass.W2, "2k").toString();
        assertTrue(e.getMessage().contains(chunkDir), e.getMessage());
        assertTrue(e.getMessage().contains("5 labels") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void badLabelNamesTheFileAndLine() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", range(1, 3), labelsFor(range(1, 3)));
        Path csv = fixture.chunkDir(WindowClass.W2, "1k").resolve("Labels-displacement-2x2.csv");
        Files.writeString(csv, "101.5\n#N/A\n99\n");
        DatasetFormatException e = scanFails(W2_ONLY);
        assertTrue(e.getMessage().contains(csv.toString()) && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void chunkWithoutLabelsFileIsAnError() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", range(1, 3), labelsFor(range(1, 3)));
        Files.delete(fixture.chunkDir(WindowClass.W2, "1k").resolve("Labels-displacement-2x2.csv"));
        DatasetFormatException e = scanFails(W2_ONLY);
        assertTrue(e.getMessage().contains(fixture.chunkDir(WindowClass.W2, "1k").toString())
                && e.getMessage().contains("Labels-displacement-2x2.csv"), e.getMessage());
    }

    @Test
    void chunkWithoutImageFolderIsAnError() throws IOException {
        fixture.labels(WindowClass.W2, "1k", new double[] {1, 2});
        DatasetFormatException e = scanFails(W2_ONLY);
        assertTrue(e.getMessage().contains(fixture.chunkDir(WindowClass.W2, "1k").toString())
                && e.getMessage().contains("Dataset Original 2x2"), e.getMessage());
    }

    @Test
    void duplicateImageNumbersAreAnError() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", new int[] {7, 8}, new double[] {1, 2, 3});
        Path imageDir = fixture.imageDir(WindowClass.W2, "1k");
        Files.copy(imageDir.resolve("rve-2x2-reg2-8-1.jpg"), imageDir.resolve("rve-2x2-reg2-08-1.jpg"));
        DatasetFormatException e = scanFails(W2_ONLY);
        assertTrue(e.getMessage().contains("image number 8") && e.getMessage().contains("rve-2x2-reg2-08-1.jpg"),
                e.getMessage());
    }

    @Test
    void strayFilesAreIgnored() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", new int[] {1, 3}, new double[] {1, 3});
        Path imageDir = fixture.imageDir(WindowClass.W2, "1k");
        Files.writeString(imageDir.resolve("Thumbs.db"), "x");
        Files.writeString(imageDir.resolve(".rve-2x2-reg2-1-1.jpg.crc"), "checksum");
        Files.createDirectories(fixture.root().resolve("Generated_Images_2x2").resolve(".Trash"));
        Files.writeString(imageDir.resolve("rve-3x3-reg2-2-1.jpg"), "other class");
        Files.writeString(imageDir.resolve("rve-2x2-reg2-99999999999-1.jpg"), "number too large");
        Files.createDirectories(imageDir.resolve("rve-2x2-reg2-5-1.jpg")); // a folder, not an image
        Files.writeString(fixture.root().resolve("Generated_Images_2x2").resolve(".DS_Store"), "x");
        DatasetIndex index = scan(W2_ONLY);
        assertEquals(List.of(1, 3), index.entries().stream().map(ImageEntry::number).collect(Collectors.toList()));
    }

    @Test
    void missingRootIsAnError() {
        DatasetFormatException e = scanFails(ALL);
        assertTrue(e.getMessage().contains(fixture.root().toString()) && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void rootWithoutClassFoldersSaysWhatItHolds() throws IOException {
        Files.createDirectories(fixture.root().resolve("polysilicon-dataset"));
        DatasetFormatException e = scanFails(ALL);
        assertTrue(e.getMessage().contains("Generated_Images_2x2") && e.getMessage().contains("polysilicon-dataset"),
                e.getMessage());
    }

    @Test
    void classFolderWithoutChunksIsAnError() throws IOException {
        Files.createDirectories(fixture.root().resolve("Generated_Images_5x5"));
        DatasetFormatException e = scanFails(EnumSet.of(WindowClass.W5));
        assertTrue(e.getMessage().contains("Generated_Images_5x5") && e.getMessage().contains("no chunk folders"),
                e.getMessage());
    }

    @Test
    void missingClassIsReportedAndRequireAllClassesRejectsIt() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", range(1, 2), labelsFor(range(1, 2)));
        fixture.chunk(WindowClass.W5, "1k", range(1, 3), labelsFor(range(1, 3)));
        DatasetIndex index = scan(ALL);
        assertEquals(EnumSet.of(WindowClass.W3, WindowClass.W10), index.missingClasses());
        assertEquals(0, index.count(WindowClass.W3));
        assertEquals(5, index.size());
        assertEquals("2x2: 2, 3x3: 0 (folder missing), 5x5: 3, 10x10: 0 (folder missing)", index.summary());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, index::requireAllClasses);
        assertTrue(e.getMessage().contains("Generated_Images_3x3, Generated_Images_10x10"), e.getMessage());
        assertEquals(5, scan(EnumSet.of(WindowClass.W2, WindowClass.W5)).requireAllClasses().size());
    }

    @Test
    void samplePerClassDrawsASeededSubsetOfEachClassInIndexOrder() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", range(1, 10), labelsFor(range(1, 10)));
        fixture.chunk(WindowClass.W5, "1k", range(1, 3), labelsFor(range(1, 3)));
        DatasetIndex index = scan(ALL);
        DatasetIndex sample = index.samplePerClass(4, 7);
        assertEquals(4, sample.count(WindowClass.W2));
        assertEquals(3, sample.count(WindowClass.W5), "a class with fewer images keeps all of them");
        assertEquals(index.missingClasses(), sample.missingClasses());
        assertTrue(index.entries().containsAll(sample.entries()));
        List<Integer> positions = sample.entries().stream().map(index.entries()::indexOf).toList();
        assertEquals(positions.stream().sorted().toList(), positions, "index order kept");
        assertEquals(sample.entries(), index.samplePerClass(4, 7).entries(), "same seed, same subset");
        assertTrue(!sample.entries().equals(index.samplePerClass(4, 8).entries())
                || !sample.entries().equals(index.samplePerClass(4, 9).entries()), "the seed matters");
        assertThrows(IllegalArgumentException.class, () -> index.samplePerClass(0, 7));
    }

    @Test
    void emptyChunkIsAllowed() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", range(1, 2), labelsFor(range(1, 2)));
        fixture.chunk(WindowClass.W2, "2k", new int[0], new double[0]);
        assertEquals(2, scan(W2_ONLY).size());
    }

    @Test
    void relativeRootResolvesAgainstTheWorkingDirectory() throws IOException {
        fixture.chunk(WindowClass.W2, "1k", range(1, 2), labelsFor(range(1, 2)));
        Path workingDir = Paths.get("").toAbsolutePath();
        String relative = workingDir.relativize(fixture.root()).toString();
        assertTrue(!relative.startsWith("/"), relative);
        DatasetIndex index = DatasetScanner.scan(relative, W2_ONLY, conf);
        assertEquals(2, index.size());
        assertEquals(new org.apache.hadoop.fs.Path(fixture.root().toUri()).toString(), index.root());
        assertTrue(!index.entries().get(0).path().contains(".."), index.entries().get(0).path());
    }
}
