package io.github.deepanomaly.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the jar for spark-submit holds: what the executors need beside Spark, and nothing Spark has. */
@Tag("cluster")
class AssemblyIT {
    private static final Path ASSEMBLY = Path.of(System.getProperty("project.basedir", "."))
            .resolve("target/spark-deep-anomaly-assembly.jar");

    private static Set<String> entries() throws IOException {
        try (JarFile jar = new JarFile(ASSEMBLY.toFile())) {
            return jar.stream().map(ZipEntry::getName).collect(Collectors.toSet());
        }
    }

    @Test
    void holdsTheCliDl4jAndTheLinuxNatives() throws IOException {
        Set<String> entries = entries();
        for (String needed : List.of("io/github/deepanomaly/cli/Main.class",
                "org/deeplearning4j/spark/impl/multilayer/SparkDl4jMultiLayer.class",
                "org/nd4j/linalg/cpu/nativecpu/CpuBackend.class",
                "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/libnd4jcpu.so",
                "org/bytedeco/openblas/linux-x86_64/libopenblas.so.0",
                "org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so",
                "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend")) {
            assertTrue(entries.contains(needed), needed);
        }
    }

    @Test
    void leavesOutSparkScalaHadoopAndOtherPlatforms() throws IOException {
        List<String> leaked = entries().stream()
                // dl4j-spark's own helper in Spark's package (it reaches package-private TaskContext methods)
                .filter(e -> !e.startsWith("org/apache/spark/TaskContextHelper"))
                .filter(e -> e.endsWith(".class") && (e.startsWith("org/apache/spark/") || e.startsWith("scala/")
                        || e.startsWith("org/apache/hadoop/") || e.startsWith("org/slf4j/")
                        || e.startsWith("com/fasterxml/jackson/") || e.startsWith("com/esotericsoftware/kryo/")
                        || e.startsWith("org/apache/commons/lang3/"))
                        // native libraries: linux-x86_64 only (JNA calls it linux-x86-64)
                        || e.matches(".*\\.(so(\\.[0-9]+)*|dll|dylib|jnilib|a)") && !e.matches(".*/linux-x86[-_]64/[^/]+"))
                .sorted().limit(20).toList();
        assertEquals(List.of(), leaked);
    }

    @Test
    void hasNoSignaturesOfTheMergedJars() throws IOException {
        assertEquals(List.of(), entries().stream()
                .filter(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")).toList());
    }
}
