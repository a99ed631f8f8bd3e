package dev.jecho.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.WarnStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LogConfiguratorTest {

    @Test
    void aConfiguredContextHasAListenerOfItsOwnSoLogbackSkipsItsStatusPrinter() {
        LoggerContext context = new LoggerContext();
        new LogConfigurator().configure(context);

        assertThat(context.getStatusManager().getCopyOfStatusListenerList())
                .hasAtLeastOneElementOfType(LogConfigurator.ProblemsPrinter.class);
        context.stop();
    }

    @Test
    void logbacksWarningsAndErrorsArePrintedAndItsInformationIsNot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogConfigurator.ProblemsPrinter printer = new LogConfigurator.ProblemsPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        printer.addStatusEvent(new InfoStatus("found a configurator", this));
        printer.addStatusEvent(new WarnStatus("no appender named stderr", this));
        printer.addStatusEvent(new ErrorStatus("could not open the file", this, new IllegalStateException("closed")));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "jecho: logging: no appender named stderr" + System.lineSeparator()
                        + "jecho: logging: could not open the file (java.lang.IllegalStateException: closed)" + System.lineSeparator());
    }
}
