"""What users write to read Instasent DLRs without the SDK, as the baseline of bench/dlr.sh:
json.loads and a dict mapping for webhooks, a regex for SMPP receipts. Status and code
tables are the ones on the docs pages (transactional-api/http/dlrs, smpp/integration)."""
import json
import re
from datetime import datetime

CODES = {0: "OK", 1: "Unknown", 2: "Absent temporarily", 3: "Absent permanently", 4: "Blocked subscriber",
         5: "Portability error", 6: "Antispam reject", 7: "Line busy", 8: "Network error", 9: "Illegal number",
         10: "Invalid message", 11: "Unroutable", 12: "Unreachable", 13: "Age restriction", 14: "Blocked carrier",
         15: "Insufficient funds", 16: "Flooded", 99: "Unknown error", 100: "Reject"}
FINAL = {"delivered", "error", "failed", "expired", "canceled", "rejected", "stop", "inbound"}
SMPP_STATUS = {"DELIVRD": "delivered", "EXPIRED": "expired", "DELETED": "deleted", "ACCEPTD": "accepted",
               "UNDELIV": "failed", "UNKNOWN": "unknown", "REJECTD": "rejected"}
SMPP_FINAL = {"delivered", "expired", "deleted", "failed", "rejected"}
RECEIPT = re.compile(r"id:(\S+) sub:(\d+) dlvrd:(\d+) submit date:(\d+) done date:(\d+) stat:(\w+) err:(\d+)")


def parse_webhook(body):
    d = json.loads(body)
    code = d.get("code")
    return {"id": d["id"], "clientId": d.get("clientId"), "status": d["status"], "code": code,
            "codeMeaning": CODES.get(code), "isFinal": d["status"] in FINAL, "eventAt": d.get("eventAt"),
            "message": d.get("message")}


def parse_webhook_with_time(body):
    r = parse_webhook(body)
    r["eventUnix"] = int(datetime.fromisoformat(r["eventAt"]).timestamp()) if r["eventAt"] else None
    return r


def parse_smpp(text):
    m = RECEIPT.match(text)
    if m is None:
        raise ValueError("not an SMPP receipt")
    status = SMPP_STATUS.get(m.group(6), "unknown")
    code = int(m.group(7))
    return {"id": m.group(1), "status": status, "code": code, "codeMeaning": CODES.get(code),
            "isFinal": status in SMPP_FINAL, "delivered": m.group(3) == "001", "doneDate": m.group(5)}
