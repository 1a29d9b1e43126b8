# Receives delivery reports on a local webhook, parses them with parse_dlr and tracks them.
# Run: python examples/python/dlr_webhook.py   (embedded sandbox; or set INSTASENT_BASE_URL/TOKEN and DLR_ADDR)
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import instasent

tracker = instasent.DeliveryTracker()
lock = threading.Lock()


class DlrHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            report = instasent.parse_dlr(body)
        except instasent.DecodeError:
            self.send_response(400)  # any non-2xx is retried by Instasent
        else:
            with lock:
                tracker.record(report)
            print(f"report: {report.id} {report.status} code {report.code}")
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


external = bool(os.environ.get("INSTASENT_BASE_URL"))
host, port = os.environ.get("DLR_ADDR", "127.0.0.1:8089" if external else "127.0.0.1:0").rsplit(":", 1)
server = ThreadingHTTPServer((host, int(port)), DlrHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f"http://{host}:{server.server_port}/dlr"
print(f"receiving delivery reports on {url}")

if external:  # the sandbox (--webhook URL) or your account's webhook must point at `url`
    sandbox = None
    client = instasent.Client(os.environ["INSTASENT_TOKEN"])
else:
    sandbox = instasent.Sandbox(webhook=url)
    client = sandbox.client()

# Sandbox test numbers: …0001 fails with code 3, …0005 is buffered then delivered.
ids = [client.send("Acme", to, "Hello").id for to in ["+34600123456", "+34600000001", "+34600000005"]]
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    with lock:
        if all((r := tracker.get(i)) is not None and r.is_final for i in ids):
            break
    time.sleep(0.1)

with lock:
    for i in ids:
        r = tracker.get(i)
        print(f"{i}: {r.status} code {r.code} ({r.code_meaning or '-'})" if r else f"{i}: no report yet")
    print(f"final statuses: {tracker.counts()}")
    done = all((r := tracker.get(i)) is not None and r.is_final for i in ids)
server.shutdown()
if sandbox:
    sandbox.stop()
raise SystemExit(0 if done else 1)
