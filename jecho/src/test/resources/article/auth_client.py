# The article's authenticated TCP client ("验证链接合法性"), as printed. Only changes: the port comes
# from argv[1] (was 8888), and hmac.new() gets a digestmod, which Python 3.8+ requires (the article's
# code meant MD5, Python 2's default); argv[2] chooses it, default "md5".
import json
import hmac
import sys

from socket import *

DIGESTMOD = sys.argv[2] if len(sys.argv) > 2 else "md5"


class TcpClient:
    def __init__(self, server_ip_port=("localhost", int(sys.argv[1])), backlog=5, bufsize=1024) -> None:
        self.salt = b"SOCKET SERVER"
        self.bufsize = bufsize
        self.backlog = backlog
        self.server_ip_port = server_ip_port

        self.socket = None

    def run(self):
        """初始化数据"""
        self.socket = socket()
        self.socket.connect(self.server_ip_port)
        self.verification()
        self.communicateHandler()

    def verification(self):
        """验证链接合法性"""

        # 获取server端发送的验证字符串
        recvVerificationString = self.socket.recv(self.bufsize)

        # 将验证字符串与本地的盐进行混合,得到新的结果
        h = hmac.new(self.salt, recvVerificationString, digestmod=DIGESTMOD)
        digest = h.digest()

        # 将新结果发送给server端做比对
        self.socket.send(digest)

    def communicateHandler(self):
        """处理通信请求"""
        while 1:
            sendMsg = input(">>>")

            # 不让客户端发送空消息
            if not sendMsg:
                continue

            # 如果发送的是exit,则断开链接
            if sendMsg == "exit":
                break

            self.socket.send(
                json.dumps(sendMsg).encode("u8")
            )

            recvMsg = json.loads(
                self.socket.recv(1024).decode("u8")
            )

            print(recvMsg)

        self.socket.close()

if __name__ == "__main__":
    client = TcpClient()
    client.run()
