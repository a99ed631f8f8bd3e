package dev.jecho.internal.server;

import dev.jecho.Endpoint;
import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.ListenerException;
import dev.jecho.internal.keys.KeyFile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Protected mode decides before anything is bound; these checks bind nothing. */
class ProtectedModeTest {

    /** The article's salt, b"SOCKET SERVER": printed in the article, so known to anyone. */
    private static final String ARTICLE_SALT = "U09DS0VUIFNFUlZFUg==";
    private static final String KEY_32 = "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";

    private static final List<Endpoint> ALL_ADDRESSES = List.of(Endpoint.tcp("0.0.0.0", 0));

    private static Authentication legacy(String key) throws Exception {
        return new Authentication(KeyFile.parse(key, "test", 1), LegacyDigest.MD5);
    }

    @Test
    void theArticlesPublicSaltCountsAsNoAuthentication() throws Exception {
        assertThatThrownBy(() -> ProtectedMode.check(ALL_ADDRESSES, legacy(ARTICLE_SALT), false))
                .isInstanceOf(ListenerException.class)
                .hasMessage("cannot listen on tcp://0.0.0.0:0: protected mode: the key is 13 bytes, too short to protect"
                        + " anything, so anyone who can reach 0.0.0.0:0 could use this server (listen on 127.0.0.1 or [::1],"
                        + " use a key of at least 32 bytes, or pass --allow-insecure)");
    }

    @Test
    void aFullKeyOrAllowInsecureOrLoopbackLetsTheLegacyServerStart() throws Exception {
        assertThatCode(() -> ProtectedMode.check(ALL_ADDRESSES, legacy(KEY_32), false)).doesNotThrowAnyException();
        assertThatCode(() -> ProtectedMode.check(ALL_ADDRESSES, legacy(ARTICLE_SALT), true))
                .doesNotThrowAnyException();
        Keyring salt = KeyFile.parse(ARTICLE_SALT, "test", 1);
        assertThatCode(() -> ProtectedMode.check(List.of(Endpoint.tcp("127.0.0.1", 0), Endpoint.tcp("::1", 0)),
                new Authentication(salt, LegacyDigest.MD5), false)).doesNotThrowAnyException();
    }

    @Test
    void noSecretStillSaysSo() {
        assertThatThrownBy(() -> ProtectedMode.check(ALL_ADDRESSES, Authentication.NONE, false))
                .hasMessageContaining("protected mode: no secret is configured")
                .hasMessageEndingWith("configure a secret, or pass --allow-insecure)");
    }
}
