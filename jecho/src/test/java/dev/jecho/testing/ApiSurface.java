package dev.jecho.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.domain.JavaTypeVariable;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jecho's public line, as tests hold it: the API types the README lists (one list, read from README.md's
 * "The public API" block, so the documentation and the test cannot drift), the public types a module really
 * has, and the internal types that show through an API type's public or protected signatures.
 */
public final class ApiSurface {

    /** Where the implementation lives: never API, never in an API signature. */
    public static final String INTERNAL = "dev.jecho.internal";

    private static final Pattern BLOCK = Pattern.compile("### The public API.*?```text\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern TYPE = Pattern.compile("^(dev\\.jecho(?:\\.[A-Za-z_]\\w*)+)(?:\\s|$)");

    private ApiSurface() {
    }

    /** The classes of the module that {@code anyClassOfIt} belongs to (its main classes, not its tests). */
    public static JavaClasses mainClassesOf(Class<?> anyClassOfIt) {
        try {
            Path location = Path.of(anyClassOfIt.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter().importPath(location);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fails when code outside jecho (a user's, say the README's examples compiled into {@code classesDir}) uses
     * an internal type: only jecho's own packages may.
     */
    public static void assertUsesOnlyTheApi(Path classesDir) {
        JavaClasses outside = new ClassFileImporter().importPath(classesDir);
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that().resideOutsideOfPackage("dev.jecho..")
                .should().dependOnClassesThat().resideInAPackage(INTERNAL + "..")
                .because("only jecho's own packages use its internals").check(outside);
    }

    /**
     * The README's list of API types, each by its canonical name ({@code dev.jecho.JechoServer.StopReport}),
     * in the order listed.
     */
    public static List<String> documentedTypes() throws IOException {
        String readme = Files.readString(Repository.file("README.md"), StandardCharsets.UTF_8);
        Matcher block = BLOCK.matcher(readme);
        if (!block.find()) {
            throw new AssertionError("README.md has no ```text block under '### The public API'");
        }
        List<String> types = new ArrayList<>();
        for (String line : block.group(1).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (!type.find()) {
                throw new AssertionError("README.md's API list: a line that does not start with a type: " + line);
            }
            types.add(type.group(1));
        }
        return types;
    }

    /** The README's API types in {@code apiPackage} (not in its subpackages). */
    public static Set<String> documentedTypesIn(String apiPackage) throws IOException {
        Set<String> types = new TreeSet<>();
        for (String type : documentedTypes()) {
            if (packageOf(type).equals(apiPackage)) {
                types.add(type);
            }
        }
        return types;
    }

    /** A documented type's package: the name up to its first capitalised part. */
    static String packageOf(String canonicalName) {
        String[] parts = canonicalName.split("\\.");
        StringBuilder pkg = new StringBuilder();
        for (String part : parts) {
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    /**
     * Every type of {@code classes} that code outside its package can name: public, and nested only in such
     * types. By canonical name.
     */
    public static Set<String> publicTypes(JavaClasses classes) {
        Set<String> names = new TreeSet<>();
        for (JavaClass c : classes) {
            if (isVisibleOutside(c)) {
                names.add(canonicalName(c));
            }
        }
        return names;
    }

    /** Public, and its enclosing types too (a public member of a package-private class is not API). */
    public static boolean isVisibleOutside(JavaClass c) {
        if (c.isAnonymousClass() || c.isLocalClass() || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
            return false;
        }
        return c.getEnclosingClass().map(ApiSurface::isVisibleOutside).orElse(true);
    }

    /** {@code dev.jecho.JechoServer.StopReport} for {@code dev.jecho.JechoServer$StopReport}. */
    public static String canonicalName(JavaClass c) {
        return c.getEnclosingClass().map(e -> canonicalName(e) + "." + c.getSimpleName()).orElse(c.getName());
    }

    /** Types visible outside their package, in the given package (not its subpackages). */
    public static DescribedPredicate<JavaClass> apiTypesIn(String apiPackage) {
        return DescribedPredicate.describe("API types of " + apiPackage,
                c -> c.getPackageName().equals(apiPackage) && isVisibleOutside(c));
    }

    /**
     * For each public or protected member of an API type (and the type's own declaration: its supertypes and type
     * parameters), the internal types its signature names, generics included: the return type, the parameters,
     * what it throws, a field's type. By the member's full name, e.g.
     * {@code dev.jecho.ServerConfig$Builder.maxStartups(dev.jecho.internal.server.MaxStartups)}.
     */
    public static Map<String, Set<String>> internalTypesInSignatures(JavaClass type) {
        Map<String, Set<String>> found = new TreeMap<>();
        List<JavaType> declaration = new ArrayList<>();
        type.getSuperclass().ifPresent(declaration::add);
        declaration.addAll(type.getInterfaces());
        addBounds(type.getTypeParameters(), declaration);
        note(found, type.getName(), declaration);
        for (JavaMember member : type.getMembers()) {
            Set<JavaModifier> modifiers = member.getModifiers();
            boolean visible = modifiers.contains(JavaModifier.PUBLIC) || (modifiers.contains(JavaModifier.PROTECTED)
                    && !type.getModifiers().contains(JavaModifier.FINAL));
            if (!visible || modifiers.contains(JavaModifier.SYNTHETIC) || modifiers.contains(JavaModifier.BRIDGE)) {
                continue;
            }
            List<JavaType> signature = new ArrayList<>();
            if (member instanceof JavaCodeUnit code) {
                signature.add(code.getReturnType());
                signature.addAll(code.getParameterTypes());
                signature.addAll(code.getThrowsClause().getTypes());
                addBounds(code.getTypeParameters(), signature);
            } else if (member instanceof com.tngtech.archunit.core.domain.JavaField field) {
                signature.add(field.getType());
            }
            note(found, member.getFullName(), signature);
        }
        return found;
    }

    private static void addBounds(List<? extends JavaTypeVariable<?>> variables, List<JavaType> into) {
        for (JavaTypeVariable<?> variable : variables) {
            into.addAll(variable.getUpperBounds());
        }
    }

    private static void note(Map<String, Set<String>> found, String where, Collection<? extends JavaType> types) {
        for (JavaType t : types) {
            for (JavaClass raw : t.getAllInvolvedRawTypes()) {
                JavaClass base = raw.isArray() ? raw.getBaseComponentType() : raw;
                if (base.getPackageName().startsWith(INTERNAL)) {
                    found.computeIfAbsent(where, k -> new TreeSet<>()).add(base.getName());
                }
            }
        }
    }

    /**
     * The ArchUnit condition: no internal type in the public or protected signatures of an API type, except the
     * members in {@code allowed} (by full name, see {@link #internalTypesInSignatures}).
     */
    public static ArchCondition<JavaClass> exposeNoInternalType(Set<String> allowed) {
        return new ArchCondition<>("expose no " + INTERNAL + " type in a public or protected signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                internalTypesInSignatures(type).forEach((member, internal) -> {
                    if (!allowed.contains(member)) {
                        events.add(SimpleConditionEvent.violated(type, member + " names " + String.join(", ", internal)));
                    }
                });
            }
        };
    }
}
