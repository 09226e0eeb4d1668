"""Stand-in for the `plexus` command-line tool, with its interface and files, for tests of the
cluster fixture while the real tool cannot run a cluster. Not a node: the head keeps a list of
the nodes that registered, and a node counts as ALIVE while its connection to the head is open.

  start --head --port P --node-ip IP --temp-dir DIR [--resources JSON] [--cpus N] [--object-store-memory BYTES] --block
  start --address HEAD:P --token-file FILE --node-ip IP --temp-dir DIR [...] --block
  status --json --address HEAD:P --token-file FILE
"""
import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import threading


def parse(argv):
    parser = argparse.ArgumentParser(prog="plexus")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("start")
    start.add_argument("--head", action="store_true")
    start.add_argument("--address")
    start.add_argument("--port", type=int, default=6380)
    start.add_argument("--token-file")
    start.add_argument("--node-ip", required=True)
    start.add_argument("--temp-dir", required=True)
    start.add_argument("--resources", default="{}")
    start.add_argument("--cpus", type=float)
    start.add_argument("--object-store-memory", type=int)
    start.add_argument("--block", action="store_true", required=True)
    # Accepted as the real tool accepts it (the fixture turns the dashboard off); a stand-in serves none.
    start.add_argument("--dashboard-port", type=int, default=8265)
    status = commands.add_parser("status")
    status.add_argument("--json", action="store_true", required=True)
    status.add_argument("--address", required=True)
    status.add_argument("--token-file", required=True)
    return parser.parse_args(argv)


def resources(args):
    offered = json.loads(args.resources)
    if args.cpus is not None:
        offered["CPU"] = args.cpus
    if args.object_store_memory is not None:
        offered["object_store_memory"] = args.object_store_memory
    return offered


def write_node_json(args, node, control_address):
    # Written atomically, as the real tool does: a reader never sees half a file.
    path = os.path.join(args.temp_dir, "node.json")
    with open(path + ".tmp", "w") as file:
        json.dump({"pid": os.getpid(), "nodeId": node["nodeId"], "nodeAddress": node["address"],
                   "controlAddress": control_address, "head": args.head}, file)
    os.rename(path + ".tmp", path)


def describe(args):
    return {"nodeId": secrets.token_hex(8), "address": f"{args.node_ip}:0", "state": "ALIVE", "pid": os.getpid(),
            "resources": resources(args), "used": {}, "infeasible": [], "heartbeatAgeMs": 0}


def start_worker():
    # A child process, as a node daemon has workers: what a test kills with the node.
    return subprocess.Popen(["sleep", "100000"])


def head(args):
    token = os.environ.get("PLEXUS_TOKEN") or secrets.token_hex(32)
    try:
        listener = socket.create_server((args.node_ip, args.port))
    except OSError as error:
        print(f"error: cannot listen on {args.node_ip}:{args.port}: {error.strerror}", file=sys.stderr)
        return 1
    with open(os.path.join(args.temp_dir, "token"), "w", opener=lambda path, flags: os.open(path, flags, 0o600)) as file:
        file.write(token)
    control_address = f"{args.node_ip}:{args.port}"
    nodes = [describe(args)]
    lock = threading.Lock()

    def serve(connection):
        with connection, connection.makefile("rw") as stream:
            request = json.loads(stream.readline() or "{}")
            if request.get("token") != token:
                stream.write(json.dumps({"error": "wrong token"}) + "\n")
                return
            if request["op"] == "status":
                with lock:
                    stream.write(json.dumps({"controlAddress": control_address, "nodes": nodes, "jobs": []}) + "\n")
                return
            node = request["node"]
            with lock:
                nodes.append(node)
            stream.write("{}\n")
            stream.flush()
            stream.read()  # until the node's connection closes: its machine is gone
            with lock:
                node["state"] = "DEAD"

    start_worker()
    write_node_json(args, nodes[0], control_address)
    print(f"head serving on {control_address}", flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve, args=(connection,), daemon=True).start()


def join(args):
    with open(args.token_file) as file:
        token = file.read().strip()
    host, port = args.address.rsplit(":", 1)
    connection = socket.create_connection((host, int(port)), source_address=(args.node_ip, 0))
    stream = connection.makefile("rw")
    node = describe(args)
    stream.write(json.dumps({"token": token, "op": "register", "node": node}) + "\n")
    stream.flush()
    stream.readline()
    start_worker()
    write_node_json(args, node, args.address)
    print(f"node {node['nodeId']} joined {args.address}", flush=True)
    stream.read()  # until the head goes away
    return 1


def status(args):
    with open(args.token_file) as file:
        token = file.read().strip()
    host, port = args.address.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=10) as connection, connection.makefile("rw") as stream:
            stream.write(json.dumps({"token": token, "op": "status"}) + "\n")
            stream.flush()
            answer = json.loads(stream.readline())
    except OSError as error:
        print(f"error: cannot reach the head at {args.address}: {error}", file=sys.stderr)
        return 1
    if "error" in answer:
        print(f"error: {answer['error']}", file=sys.stderr)
        return 1
    print(json.dumps(answer))
    return 0


def main(argv):
    args = parse(argv)
    if args.command == "status":
        return status(args)
    os.makedirs(args.temp_dir, exist_ok=True)
    return head(args) if args.head else join(args)


sys.exit(main(sys.argv[1:]))
