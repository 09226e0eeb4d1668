"""Stand-in for a node: listens on ADDRESS PORT and answers each line with "<line> from <peer address>"."""
import socket
import sys
import threading


def serve(connection):
    with connection, connection.makefile("rw") as stream:
        peer = connection.getpeername()[0]
        for line in stream:
            stream.write(f"{line.strip()} from {peer}\n")
            stream.flush()


listener = socket.create_server((sys.argv[1], int(sys.argv[2])))
print(f"listening on {sys.argv[1]}:{sys.argv[2]}", flush=True)
while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()
