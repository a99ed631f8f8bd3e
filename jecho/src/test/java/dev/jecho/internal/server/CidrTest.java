package dev.jecho.internal.server;

import dev.jecho.testing.Corpus;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** {@code --limit-exempt} blocks: the stored corpus, and properties checked against BigInteger arithmetic. */
class CidrTest {

    @Test
    void theStoredCorpusParsesAsRecorded() {
        for (String line : Corpus.lines("cidr.txt")) {
            String[] parts = line.split("\t", -1);
            String input = parts[0];
            String expected = parts[1];
            if (expected.equals("error")) {
                assertThatThrownBy(() -> Cidr.parse(input)).as("'%s'", input).isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(Cidr.parse(input).toString()).as("'%s'", input).isEqualTo(expected);
            }
        }
    }

    @Test
    void theStoredMembershipCorpusHolds() throws Exception {
        for (String line : Corpus.lines("cidr-contains.txt")) {
            String[] parts = line.trim().split(" ");
            assertThat(Cidr.parse(parts[0]).contains(InetAddress.getByName(parts[1])))
                    .as(line).isEqualTo(Boolean.parseBoolean(parts[2]));
        }
    }

    @Test
    void errorsSayWhatIsExpected() {
        assertThatThrownBy(() -> Cidr.parse("bogus")).hasMessage(
                "'bogus' is not an address or address block: use e.g. 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/40")).hasMessage("'10.0.0.0/40': an IPv4 block has at most /32");
    }

    @Property(tries = 400, seed = "20261126")
    void aBlockHoldsExactlyTheAddressesThatShareItsPrefix(@ForAll("addresses") byte[] network, @ForAll("addresses") byte[] probe,
                                                          @ForAll @IntRange(min = 0, max = 128) int prefixSeed) throws Exception {
        int bits = network.length * 8;
        int prefix = prefixSeed % (bits + 1);
        Cidr block = new Cidr(InetAddress.getByAddress(network), prefix);
        assertThat(Cidr.parse(block.toString())).isEqualTo(block);
        assertThat(block.contains(InetAddress.getByAddress(network))).isTrue();
        boolean expected = probe.length == network.length
                && new BigInteger(1, probe).shiftRight(bits - prefix).equals(new BigInteger(1, network).shiftRight(bits - prefix));
        InetAddress probeAddress = InetAddress.getByAddress(probe);
        if (probeAddress.getAddress().length == probe.length) { // ::ffff:a.b.c.d comes back as IPv4: checked by the corpus
            assertThat(block.contains(probeAddress)).isEqualTo(expected);
        }
    }

    @Property(tries = 400, seed = "20261126")
    void anyTextEitherParsesOrIsRejectedWithAMessage(@ForAll("addressLikeText") String text) {
        Throwable thrown = catchThrowable(() -> Cidr.parse(text));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
            assertThat(thrown.getMessage()).contains("'");
        } else {
            Cidr parsed = Cidr.parse(text);
            assertThat(Cidr.parse(parsed.toString())).isEqualTo(parsed);
        }
    }

    @Provide
    Arbitrary<byte[]> addresses() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16));
    }

    @Provide
    Arbitrary<String> addressLikeText() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEF:./[]% -x").ofMaxLength(45);
    }
}
