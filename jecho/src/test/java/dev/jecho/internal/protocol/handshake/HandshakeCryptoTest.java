package dev.jecho.internal.protocol.handshake;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

import static dev.jecho.internal.protocol.handshake.HandshakePair.hex;
import static dev.jecho.internal.protocol.handshake.HandshakePair.repeat;
import static org.assertj.core.api.Assertions.assertThat;

/** Known-answer vectors: the primitives the handshake is built from compute what the RFCs say. */
class HandshakeCryptoTest {

    private static SecretKeySpec key(byte[] k) {
        return new SecretKeySpec(k, "HmacSHA256");
    }

    @Test
    void hmacSha256MatchesRfc4231TestCase1() {
        assertThat(HandshakeCrypto.hmac(key(repeat(0x0b, 20)), "Hi There".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
    }

    @Test
    void hmacSha256MatchesRfc4231TestCase2() {
        assertThat(HandshakeCrypto.hmac(key("Jefe".getBytes(StandardCharsets.US_ASCII)),
                "what do ya want ".getBytes(StandardCharsets.US_ASCII), "for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }

    @Test
    void hmacSha256MatchesRfc4231TestCase6WithAKeyLongerThanABlock() {
        assertThat(HandshakeCrypto.hmac(key(repeat(0xaa, 131)),
                "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        SecretKeySpec prk = HandshakeCrypto.hkdfExtract(hex("000102030405060708090a0b0c"), repeat(0x0b, 22));
        assertThat(prk.getEncoded()).isEqualTo(hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
        byte[] okm = HandshakeCrypto.hkdfExpand32(prk, hex("f0f1f2f3f4f5f6f7f8f9"));
        assertThat(okm).isEqualTo(Arrays.copyOf(
                hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"), 32));
    }

    @Test
    void theTwoProofsAndTheTwoSessionKeysAllDiffer() {
        SecretKeySpec k = key(repeat(1, 32));
        byte[] t = HandshakeCrypto.transcript(repeat(2, 32), repeat(3, 32), "", new byte[0]);
        HandshakeCrypto.SessionKeys keys = HandshakeCrypto.sessionKeys(k, repeat(2, 32), repeat(3, 32), t);
        assertThat(HandshakeCrypto.clientProof(k, t)).isNotEqualTo(HandshakeCrypto.serverProof(k, t));
        assertThat(keys.clientToServer().getEncoded()).isNotEqualTo(keys.serverToClient().getEncoded());
    }

    @Test
    void theTlsBindingChangesTheProofs() {
        SecretKeySpec k = key(repeat(1, 32));
        byte[] plain = HandshakeCrypto.transcript(repeat(2, 32), repeat(3, 32), "", new byte[0]);
        byte[] bound = HandshakeCrypto.transcript(repeat(2, 32), repeat(3, 32), "", repeat(4, 32));
        byte[] otherCert = HandshakeCrypto.transcript(repeat(2, 32), repeat(3, 32), "", repeat(5, 32));
        assertThat(HandshakeCrypto.clientProof(k, plain)).isNotEqualTo(HandshakeCrypto.clientProof(k, bound));
        assertThat(HandshakeCrypto.clientProof(k, bound)).isNotEqualTo(HandshakeCrypto.clientProof(k, otherCert));
    }
}
