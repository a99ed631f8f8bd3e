package dev.jecho.cli;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;

/**
 * Netty's loggers for a client at the default verbosity, where Netty logs warnings and errors only
 * ({@link LogConfigurator}; {@code -q} too): Netty's debug and info calls end here, and a warning or an
 * error goes to slf4j's logger, made when first needed. Each Netty class makes its logger as it is
 * initialized, and with slf4j's the first one starts logback (35-50 ms of a cold start) on the thread that
 * starts Netty, in front of all the rest of Netty's start; with these, logback starts on the thread that
 * first needs it, meanwhile. Loggers outside {@code io.netty} are slf4j's, as they would be.
 */
final class NettyWarningsOnly extends InternalLoggerFactory {

    @Override
    protected InternalLogger newInstance(String name) {
        return name.startsWith("io.netty.") ? new WarningsOnly(name) : slf4j(name);
    }

    private static InternalLogger slf4j(String name) {
        return ((Slf4JLoggerFactory) Slf4JLoggerFactory.INSTANCE).newInstance(name);
    }

    private static final class WarningsOnly extends AbstractInternalLogger {

        private volatile InternalLogger slf4j;

        WarningsOnly(String name) {
            super(name);
        }

        private InternalLogger slf4j() {
            InternalLogger logger = slf4j;
            if (logger == null) {
                logger = NettyWarningsOnly.slf4j(name());
                slf4j = logger;
            }
            return logger;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public void trace(String msg) {
        }

        @Override
        public void trace(String format, Object arg) {
        }

        @Override
        public void trace(String format, Object argA, Object argB) {
        }

        @Override
        public void trace(String format, Object... arguments) {
        }

        @Override
        public void trace(String msg, Throwable t) {
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public void debug(String msg) {
        }

        @Override
        public void debug(String format, Object arg) {
        }

        @Override
        public void debug(String format, Object argA, Object argB) {
        }

        @Override
        public void debug(String format, Object... arguments) {
        }

        @Override
        public void debug(String msg, Throwable t) {
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public void info(String msg) {
        }

        @Override
        public void info(String format, Object arg) {
        }

        @Override
        public void info(String format, Object argA, Object argB) {
        }

        @Override
        public void info(String format, Object... arguments) {
        }

        @Override
        public void info(String msg, Throwable t) {
        }

        @Override
        public boolean isWarnEnabled() {
            return slf4j().isWarnEnabled();
        }

        @Override
        public void warn(String msg) {
            slf4j().warn(msg);
        }

        @Override
        public void warn(String format, Object arg) {
            slf4j().warn(format, arg);
        }

        @Override
        public void warn(String format, Object argA, Object argB) {
            slf4j().warn(format, argA, argB);
        }

        @Override
        public void warn(String format, Object... arguments) {
            slf4j().warn(format, arguments);
        }

        @Override
        public void warn(String msg, Throwable t) {
            slf4j().warn(msg, t);
        }

        @Override
        public boolean isErrorEnabled() {
            return slf4j().isErrorEnabled();
        }

        @Override
        public void error(String msg) {
            slf4j().error(msg);
        }

        @Override
        public void error(String format, Object arg) {
            slf4j().error(format, arg);
        }

        @Override
        public void error(String format, Object argA, Object argB) {
            slf4j().error(format, argA, argB);
        }

        @Override
        public void error(String format, Object... arguments) {
            slf4j().error(format, arguments);
        }

        @Override
        public void error(String msg, Throwable t) {
            slf4j().error(msg, t);
        }
    }
}
