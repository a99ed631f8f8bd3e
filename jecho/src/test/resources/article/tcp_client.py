# The article's final TCP client; only change: the port comes from argv[1] (was 8888).
import sys
from socket import *

client = socket(family=AF_INET, type=SOCK_STREAM)

client.connect(("localhost", int(sys.argv[1])))

# 不断的与服务器进行交互
while 1:
    sendMsg = input(">>>")

    # 不让客户端发送空消息
    if not sendMsg:
        continue

    # 如果发送的是exit,则断开链接
    if sendMsg == "exit":
        break

    client.send(sendMsg.encode("u8"))
    recvMsg = client.recv(1024)
    print(recvMsg.decode("u8"))


print("client close")
client.close()
