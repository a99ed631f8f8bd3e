# The article's UDP client (with its communication loop); only change: the port comes from argv[1].
import sys
from socket import *

client = socket(family=AF_INET, type=SOCK_DGRAM)

while 1:
    sendMsg = input(">>>")

    if sendMsg == "exit":
        break

    client.sendto(sendMsg.encode("u8"), ("localhost", int(sys.argv[1])))

    msg, serverAddr = client.recvfrom(1024)
    print(msg.decode("u8"))

client.close()
