package dev.jecho.testing;

import java.nio.file.Path;

/** Files of the repository (README.md, docs/, bench/) for tests that hold them to the code, from any module. */
public final class Repository {

    private Repository() {
    }

    /** A path relative to the repository's root (the build sets {@code jecho.repository}; else the working directory). */
    public static Path file(String relative) {
        return Path.of(System.getProperty("jecho.repository", ".")).resolve(relative).normalize();
    }
}
