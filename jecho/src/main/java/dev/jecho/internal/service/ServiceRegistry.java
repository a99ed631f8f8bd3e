package dev.jecho.internal.service;

import dev.jecho.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The services by name: the built-ins, then what {@link ServiceLoader} finds on the class path
 * ({@code META-INF/services/dev.jecho.Service}), loaded once, on first use. A provider that fails to load,
 * or whose name is malformed or taken, is skipped with a warning: one bad jar does not take the others down.
 */
public final class ServiceRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private ServiceRegistry() {
    }

    /** Loaded on first use only: a command that never names a service does not scan the class path. */
    private static final class Loaded {
        static final List<Service> ALL = load();
    }

    public static List<Service> services() {
        return Loaded.ALL;
    }

    public static Service named(String name) {
        String wanted = name.trim();
        for (Service s : services()) {
            if (s.name().equalsIgnoreCase(wanted)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service '" + name + "': use " + names(services()));
    }

    /** The names, as a sentence: {@code echo, upper, discard or chargen}. */
    public static String names(List<Service> services) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < services.size(); i++) {
            if (i > 0) {
                sb.append(i == services.size() - 1 ? " or " : ", ");
            }
            sb.append(services.get(i).name());
        }
        return sb.toString();
    }

    /** Why {@code name} cannot name a service, or null if it can. */
    public static String nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "a service name is 1 to 32 lower-case letters, digits and '-', starting with a letter; got '" + name + "'";
        }
        return null;
    }

    private static List<Service> load() {
        List<Service> all = new ArrayList<>(List.of(Service.ECHO, Service.UPPER, Service.DISCARD, Service.CHARGEN));
        Iterator<Service> providers = ServiceLoader.load(Service.class).iterator();
        while (true) {
            Service s;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                s = providers.next();
            } catch (ServiceConfigurationError e) {
                LOG.warn("a service on the class path is skipped: {}", e.getMessage());
                continue;
            }
            String problem = nameProblem(s.name());
            if (problem != null) {
                LOG.warn("service {} is skipped: {}", s.getClass().getName(), problem);
            } else if (all.stream().anyMatch(other -> other.name().equals(s.name().toLowerCase(Locale.ROOT)))) {
                LOG.warn("service {} is skipped: the name '{}' is taken", s.getClass().getName(), s.name());
            } else {
                all.add(s);
            }
        }
        return List.copyOf(all);
    }
}
