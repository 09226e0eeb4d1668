"""Stand-in for a node daemon with workers, for tests that kill process trees. Starts a child, a
grandchild whose parent exits (so it is orphaned), and a child in a session of its own; prints
"READY <pids>" and sleeps."""
import os
import subprocess
import sys
import time

child = subprocess.Popen(["sleep", "1000"])
escaped = subprocess.Popen(["sleep", "1000"], start_new_session=True)
read_end, write_end = os.pipe()
if os.fork() == 0:
    grandchild = subprocess.Popen(["sleep", "1000"])
    os.write(write_end, str(grandchild.pid).encode())
    os._exit(0)
orphan = int(os.read(read_end, 32))
print("READY", child.pid, escaped.pid, orphan, flush=True)
while True:
    time.sleep(1000)
