package dev.jecho.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An impostor on the path: it terminates the client's TLS with its own certificate and opens its own TLS
 * connection to the real server, relaying every byte between the two. One connection, then it stops.
 */
public final class TlsTerminatingProxy implements AutoCloseable {

    private final SSLServerSocket listener;
    private final InetSocketAddress upstream;
    private final Thread acceptor;

    public TlsTerminatingProxy(PrivateKey key, X509Certificate certificate, InetSocketAddress upstream) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("impostor", key, new char[0], new X509Certificate[] {certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext serverSide = SSLContext.getInstance("TLS");
        serverSide.init(kmf.getKeyManagers(), null, null);
        this.listener = (SSLServerSocket) serverSide.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.upstream = upstream;
        this.acceptor = new Thread(this::serveOne, "tls-impostor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void serveOne() {
        try (Socket client = listener.accept()) {
            SSLContext clientSide = SSLContext.getInstance("TLS");
            clientSide.init(null, new TrustManager[] {new TrustAll()}, null);
            try (SSLSocket server = (SSLSocket) clientSide.getSocketFactory().createSocket(upstream.getAddress(), upstream.getPort())) {
                server.startHandshake();
                Thread back = new Thread(() -> relay(server, client), "tls-impostor-back");
                back.setDaemon(true);
                back.start();
                relay(client, server);
                back.join(5000);
            }
        } catch (Exception ignored) {
            // the test looks at what the client and server saw
        }
    }

    private static void relay(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException closed) {
            // one side went away
        } finally {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
