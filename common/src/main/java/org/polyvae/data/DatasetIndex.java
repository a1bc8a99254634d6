package org.polyvae.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What {@link DatasetScanner} found: every present image with its label, in class, chunk and image number
 * order, plus the count per requested class. Immutable.
 */
public final class DatasetIndex {
    private final String root;
    private final List<ImageEntry> entries;
    private final Map<WindowClass, Integer> counts;
    private final Set<WindowClass> missingClasses;

    DatasetIndex(String root, List<ImageEntry> entries, Set<WindowClass> requested, Set<WindowClass> missing) {
        this.root = root;
        this.entries = List.copyOf(entries);
        EnumMap<WindowClass, Integer> byClass = new EnumMap<>(WindowClass.class);
        for (WindowClass c : requested) {
            byClass.put(c, 0);
        }
        for (ImageEntry e : entries) {
            byClass.merge(e.windowClass(), 1, Integer::sum);
        }
        this.counts = Collections.unmodifiableMap(byClass);
        this.missingClasses = Collections.unmodifiableSet(missing.isEmpty()
                ? EnumSet.noneOf(WindowClass.class) : EnumSet.copyOf(missing));
    }

    /** The dataset root as a fully qualified URI string. */
    public String root() {
        return root;
    }

    public List<ImageEntry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** Images per requested class (0 for a class whose folder is missing), in class order. */
    public Map<WindowClass, Integer> counts() {
        return counts;
    }

    public int count(WindowClass c) {
        return counts.getOrDefault(c, 0);
    }

    /** The requested classes, in class order. */
    public Set<WindowClass> classes() {
        return counts.keySet();
    }

    /** Requested classes whose folder does not exist under the root. */
    public Set<WindowClass> missingClasses() {
        return missingClasses;
    }

    /** For callers that need every requested class (e.g. training a class-conditional model). */
    public DatasetIndex requireAllClasses() throws DatasetFormatException {
        if (!missingClasses.isEmpty()) {
            StringJoiner names = new StringJoiner(", ");
            missingClasses.forEach(c -> names.add(DatasetLayout.classFolderName(c)));
            throw new DatasetFormatException(root + ": missing class folder(s) " + names
                    + "; all requested classes must be present");
        }
        return this;
    }

    /**
     * At most {@code perClass} entries of each class, drawn without replacement with a seeded shuffle and
     * kept in index order: a subset to decode when a stage needs a sample of the real images, not all of them.
     */
    public DatasetIndex samplePerClass(int perClass, long seed) {
        if (perClass < 1) {
            throw new IllegalArgumentException("perClass must be positive, got " + perClass);
        }
        Random random = new Random(seed);
        List<Integer> keptPositions = new ArrayList<>();
        for (WindowClass c : counts.keySet()) {
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).windowClass() == c) {
                    positions.add(i);
                }
            }
            Collections.shuffle(positions, random);
            keptPositions.addAll(positions.subList(0, Math.min(perClass, positions.size())));
        }
        Collections.sort(keptPositions);
        List<ImageEntry> kept = keptPositions.stream().map(entries::get).toList();
        return new DatasetIndex(root, kept, counts.keySet(), missingClasses);
    }

    /** "2x2: 7772, 3x3: 3980, 5x5: 0 (folder missing)" for stage logs. */
    public String summary() {
        StringJoiner s = new StringJoiner(", ");
        counts.forEach((c, n) -> s.add(c.token() + ": " + n + (missingClasses.contains(c) ? " (folder missing)" : "")));
        return s.toString();
    }

    @Override
    public String toString() {
        return "DatasetIndex[" + root + "; " + summary() + "]";
    }
}
