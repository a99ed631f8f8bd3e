# The article's authenticated TCP server ("验证链接合法性"), as printed. Only changes: the port comes
# from argv[1] (was 8888), and hmac.new() gets a digestmod, which Python 3.8+ requires (the article's
# code meant MD5, Python 2's default); argv[2] chooses it, default "md5".
from socket import *
import json
import os
import hmac
import sys

DIGESTMOD = sys.argv[2] if len(sys.argv) > 2 else "md5"


class TcpServer:
    def __init__(self, ip_port=("localhost", int(sys.argv[1])), backlog=5, bufsize=1024) -> None:
        self.salt = b"SOCKET SERVER"
        self.verificationString = None

        self.bufsize = bufsize
        self.backlog = backlog
        self.ip_port = ip_port
        self.socket = None
        self.conn = None
        self.clientAddr = None

    def run(self):
        self.initialization()
        while 1:
            self.requestHandler()

            if not self.verification():
                print("verification fail")
                continue

            while 1:
                try:
                    self.communicateHandler()

                except ConnectionResetError as e:
                    self.conn.close()
                    break

    def initialization(self):
        """初始化数据"""
        self.socket = socket(family=AF_INET, type=SOCK_STREAM)
        self.socket.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        self.socket.bind(self.ip_port)
        self.socket.listen(5)
        self.socket.listen(self.backlog)

    def requestHandler(self):
        """处理链接请求"""
        self.conn, self.clientAddr = self.socket.accept()

    def verification(self):
        """验证链接合法性"""

        # 生成32位bytes类型的随机值
        self.verificationString = os.urandom(32)

        # 将随机值发送给client端
        self.conn.send(self.verificationString)

        # 接收client端的信息
        recvMsg = self.conn.recv(self.bufsize)

        # 将随机值和盐进行hash加密,与recvMsg进行对比,如果一样则验证通过
        # 否则认证失败,关闭双向通道
        h = hmac.new(self.salt, self.verificationString, digestmod=DIGESTMOD)
        digest = h.digest()

        print(digest, "\n", recvMsg)
        return hmac.compare_digest(digest, recvMsg)

    def communicateHandler(self):
        """处理通信请求"""

        data = self.conn.recv(self.bufsize)

        if not data:
            raise ConnectionResetError(
                "client %s close" % str(self.clientAddr))

        data = json.loads(data.decode("u8"))
        self.conn.send(
            json.dumps(data).encode("u8")
        )


if __name__ == "__main__":
    server = TcpServer()
    server.run()
