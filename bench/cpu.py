"""Runs one benchmark row and adds the CPU it cost, per message, to the JSON line it prints:
the row's own processes (clientCpuUsPerMsg) and the sandbox's (sandboxCpuUsPerMsg). With client
and server on the same cores, these two sums decide the throughput.

    python3 bench/cpu.py SANDBOX_PID COMMAND...
"""
import json
import os
import resource
import subprocess
import sys

sandbox_pid, command = sys.argv[1], sys.argv[2:]
ticks = os.sysconf("SC_CLK_TCK")


def sandbox_cpu() -> float:
    with open(f"/proc/{sandbox_pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


before = resource.getrusage(resource.RUSAGE_CHILDREN)
sandbox_before = sandbox_cpu()
run = subprocess.run(command, stdout=subprocess.PIPE, text=True)
sandbox_secs = sandbox_cpu() - sandbox_before
after = resource.getrusage(resource.RUSAGE_CHILDREN)
if run.returncode != 0:
    sys.exit(run.returncode)
client_secs = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
for line in run.stdout.splitlines():
    row = json.loads(line)
    if row.get("messages"):
        row["clientCpuUsPerMsg"] = round(client_secs * 1e6 / row["messages"], 2)
        row["sandboxCpuUsPerMsg"] = round(sandbox_secs * 1e6 / row["messages"], 2)
    print(json.dumps(row))
