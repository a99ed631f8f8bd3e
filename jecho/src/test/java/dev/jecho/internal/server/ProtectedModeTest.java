package dev.jecho.internal.server;

import dev.jecho.JechoServer;
import dev.jecho.Keyring;
import dev.jecho.LegacyDigest;
import dev.jecho.ListenerException;
import dev.jecho.ServerConfig;
import dev.jecho.internal.keys.KeyFile;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Protected mode decides before anything is bound; these checks bind nothing. */
class ProtectedModeTest {

    /** The article's salt, b"SOCKET SERVER": printed in the article, so known to anyone. */
    private static final String ARTICLE_SALT = "U09DS0VUIFNFUlZFUg==";
    private static final String KEY_32 = "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";

    private static ServerConfig.Builder legacyOnAllAddresses(String key) throws Exception {
        return ServerConfig.builder().tcp("0.0.0.0", 0).keys(KeyFile.parse(key, "test", 1)).legacyAuth(LegacyDigest.MD5);
    }

    @Test
    void theArticlesPublicSaltCountsAsNoAuthentication() throws Exception {
        assertThatThrownBy(() -> JechoServer.checkProtectedMode(legacyOnAllAddresses(ARTICLE_SALT).build()))
                .isInstanceOf(ListenerException.class)
                .hasMessage("cannot listen on tcp://0.0.0.0:0: protected mode: the key is 13 bytes, too short to protect"
                        + " anything, so anyone who can reach 0.0.0.0:0 could use this server (listen on 127.0.0.1 or [::1],"
                        + " use a key of at least 32 bytes, or pass --allow-insecure)");
    }

    @Test
    void aFullKeyOrAllowInsecureOrLoopbackLetsTheLegacyServerStart() throws Exception {
        assertThatCode(() -> JechoServer.checkProtectedMode(legacyOnAllAddresses(KEY_32).build())).doesNotThrowAnyException();
        assertThatCode(() -> JechoServer.checkProtectedMode(legacyOnAllAddresses(ARTICLE_SALT).allowInsecure(true).build()))
                .doesNotThrowAnyException();
        Keyring salt = KeyFile.parse(ARTICLE_SALT, "test", 1);
        assertThatCode(() -> JechoServer.checkProtectedMode(ServerConfig.builder().tcp("127.0.0.1", 0).tcp("::1", 0)
                .keys(salt).legacyAuth(LegacyDigest.MD5).build())).doesNotThrowAnyException();
    }

    @Test
    void noSecretStillSaysSo() {
        assertThatThrownBy(() -> JechoServer.checkProtectedMode(ServerConfig.builder().tcp("0.0.0.0", 0).build()))
                .hasMessageContaining("protected mode: no secret is configured")
                .hasMessageEndingWith("configure a secret, or pass --allow-insecure)");
    }
}
