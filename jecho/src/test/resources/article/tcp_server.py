# The article's final TCP server; only change: the port comes from argv[1] (was 8888).
import sys
from socket import *

server = socket(family=AF_INET, type=SOCK_STREAM)
server.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)

server.bind(("localhost", int(sys.argv[1])))

server.listen(5)

while 1:

    conn, clientAddr = server.accept()
    print("%s connect server" % clientAddr[0])

    while 1:

        # try: 针对Windows环境
        try:

            data = conn.recv(1024)
            
            # if:针对Unix环境
            if not data:
                break

            conn.send(data.upper())

        except ConnectionResetError as e:
            break

    print("%s close connect" % clientAddr[0])
    conn.close()
