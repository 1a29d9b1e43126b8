"""Forks children while an AsyncClient is busy in another thread, and reports the children that
hang: `bindings-python/.venv/bin/python bench/fork_stress.py exit|use [children]`.

`exit`: each child exits at once (its atexit hooks run); `use`: each child awaits one call. A
child still alive after 10 s is a hang: its stack (gdb, when installed) says whether it hung in
the SDK or in CPython's own after-fork code (CPython gh-112275, fixed in 3.12).
"""

import asyncio
import os
import shutil
import subprocess
import sys
import threading
import time

import instasent

mode = sys.argv[1] if len(sys.argv) > 1 else "exit"
children = int(sys.argv[2]) if len(sys.argv) > 2 else 150
many = 1_000_000_000
sandbox = instasent.Sandbox(balance=1e9, limits={"sms": many, "bulk": many, "other": many})
client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url, timeout=5)
stop = False


def keep_busy() -> None:
    async def sending() -> None:
        while not stop:
            await asyncio.gather(*(client.send("Acme", "+34600123456", "busy") for _ in range(16)))

    asyncio.run(sending())


busy = threading.Thread(target=keep_busy)
busy.start()
time.sleep(0.3)
hung = {"sdk": 0, "cpython": 0, "unknown": 0}
for _ in range(children):
    pid = os.fork()
    if pid == 0:
        if mode == "use":
            asyncio.run(client.send("Acme", "+34600123456", "child"))
            os._exit(0)
        sys.exit(0)
    for _ in range(100):
        if os.waitpid(pid, os.WNOHANG)[0]:
            break
        time.sleep(0.1)
    else:
        where = "unknown"
        if shutil.which("gdb"):
            stacks = subprocess.run(
                ["gdb", "-p", str(pid), "-batch", "-ex", "thread apply all bt 40"], capture_output=True, text=True
            ).stdout
            where = "cpython" if "PyOS_AfterFork_Child" in stacks else "sdk"
        hung[where] += 1
        os.kill(pid, 9)
        os.waitpid(pid, 0)
stop = True
busy.join()
print(f"mode={mode} children={children} hung: {hung}")
