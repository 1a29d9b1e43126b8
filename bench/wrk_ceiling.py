"""Time for the sandbox to accept MESSAGES messages under wrk (2 threads, 16 connections), the
same quantity the client rows measure: wrk runs until the sandbox's counter reaches MESSAGES
(polled every 5 ms), so the ledger grows exactly as much as in a client's campaign.

    python3 bench/wrk_ceiling.py NAME SCRIPT MESSAGES   (INSTASENT_BASE_URL)
Prints one JSON line."""
import json
import os
import subprocess
import sys
import time
import urllib.request

name, script, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = os.environ["INSTASENT_BASE_URL"]
stats_url = base.rsplit("/transactional/v1", 1)[0] + "/_sandbox/stats"


def accepted() -> int:
    with urllib.request.urlopen(stats_url) as r:
        return json.load(r)["acceptedMessages"]


start_count = accepted()
started = time.perf_counter()
wrk = subprocess.Popen(
    ["wrk", "-t2", "-c16", "-d60s", "-s", script, f"{base}/sms/bulk"],
    stdout=subprocess.DEVNULL,
)
try:
    while (done := accepted() - start_count) < total:
        if wrk.poll() is not None:
            sys.exit(f"wrk stopped after {done} accepted messages")
        time.sleep(0.005)
    secs = time.perf_counter() - started
finally:
    wrk.kill()
    wrk.wait()
print(json.dumps({"client": name, "messages": done, "seconds": round(secs, 3),
                  "messagesPerSec": round(done / secs)}))
