# An independent implementation of docs/protocol.md in Python (standard library only), written from the
# document: it prints the test vectors, which ProtocolReferenceTest compares with the document's.
import hashlib
import hmac
import struct


def H(key, *parts):
    return hmac.new(key, b"".join(parts), hashlib.sha256).digest()


key = bytes(range(0x00, 0x20))
sn = bytes(range(0x20, 0x40))
cn = bytes(range(0x40, 0x60))
key_id = b"k1"
MAGIC = b"JECH"


def transcript(binding):
    return sn + cn + bytes([len(key_id)]) + key_id + bytes([len(binding)]) + binding


t = transcript(b"")
client_proof = H(key, b"jecho/1 client proof", t)
server_proof = H(key, b"jecho/1 server proof", t)
prk = H(sn + cn, key)
c2s = H(prk, b"jecho/1 client to server", t, b"\x01")
s2c = H(prk, b"jecho/1 server to client", t, b"\x01")


def record(k, seq, payload):
    header = struct.pack(">I", len(payload))
    return header + payload + H(k, struct.pack(">Q", seq), header, payload)


line = b'{"a":1}\n'
tb = transcript(b"\xcc" * 32)
nonce = bytes(range(0x60, 0x70))
request = b"JECD\x01Q" + bytes([len(key_id)]) + key_id + struct.pack(">Q", 1767225600000) + nonce + b"hello"
request += H(key, b"jecho/1 datagram", request)
reply = b"JECD\x01R" + nonce + b"HELLO"
reply += H(key, b"jecho/1 datagram", reply)

vectors = [
    ("key", key),
    ("server nonce", sn),
    ("client nonce", cn),
    ("server hello", MAGIC + b"\x01" + sn),
    ("client auth", MAGIC + b"\x01" + bytes([len(key_id)]) + key_id + cn + client_proof),
    ("server auth", b"\x06" + server_proof),
    ("key c2s", c2s),
    ("key s2c", s2c),
    ("record c2s 0", record(c2s, 0, line)),
    ("record s2c 0", record(s2c, 0, line)),
    ("record c2s 1", record(c2s, 1, line)),
    ("tls client proof", H(key, b"jecho/1 client proof", tb)),
    ("tls server proof", H(key, b"jecho/1 server proof", tb)),
    ("datagram request", request),
    ("datagram reply", reply),
]
for name, value in vectors:
    print("%s: %s" % (name, value.hex()))
