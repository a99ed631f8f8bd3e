package dev.jecho.cli;

import dev.jecho.BenchReport;
import dev.jecho.internal.files.FileErrors;

import java.io.IOException;
import java.nio.file.Path;

/** Prints a bench report as the options ask and turns what went wrong into the exit code. */
final class BenchOutput {

    private BenchOutput() {
    }

    static int print(BenchReport report, Io io, boolean json, Path html) {
        if (json) {
            try {
                report.writeJson(io.out());
            } catch (IOException e) {
                throw new CliException(ExitCodes.ERROR, "cannot write the JSON document: " + e.getMessage(), e);
            }
        } else {
            report.printTable(io.out());
        }
        if (html != null) {
            try {
                report.writeHtml(html);
            } catch (IOException e) {
                throw new CliException(ExitCodes.ERROR, FileErrors.cannot("write", html, e), e);
            }
        }
        long errors = report.errorTotal();
        long lost = report.connectionsLostInHold();
        if (errors > 0) {
            io.err().println("jecho: " + errors + (errors == 1 ? " error" : " errors") + " during the run (by class in the summary)");
            return ExitCodes.ERROR;
        }
        if (lost > 0) {
            io.err().println("jecho: " + lost + " held " + (lost == 1 ? "connection" : "connections") + " did not answer at the end");
            return ExitCodes.ERROR;
        }
        return ExitCodes.OK;
    }
}
