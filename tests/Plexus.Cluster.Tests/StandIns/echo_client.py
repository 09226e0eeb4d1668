"""Sends one line to the echo server at ADDRESS PORT and prints the answer."""
import socket
import sys

with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10) as connection, connection.makefile("rw") as stream:
    stream.write(sys.argv[3] + "\n")
    stream.flush()
    print(stream.readline().strip())
