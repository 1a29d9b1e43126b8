"""A typed tour of the Python SDK against an embedded sandbox (checked with mypy --strict)."""

import os
from typing import Dict, Iterator

import instasent


def campaign(n: int) -> Iterator[Dict[str, str]]:
    for i in range(n):
        yield {"from": "Acme", "to": f"+3466{i:07d}", "text": f"Hello #{i}", "clientId": f"ex-{i}"}


def main() -> None:
    with instasent.Sandbox() as sandbox:
        os.environ["INSTASENT_BASE_URL"] = sandbox.base_url
        client = instasent.Client(sandbox.token, timeout=10.0, max_retries=3)

        # Documented surface: {"response_code", "response_body"}.
        response = client.send_sms("My company", "+34666666666", "test message")
        print(response["response_code"], response["response_body"])

        # Typed surface.
        sms = client.send("Acme", "+34666666666", "typed hello")
        print(sms.id, sms.status, sms.segments)
        results = client.send_bulk(campaign(250), on_progress=lambda p: print(f"{p.done}/{p.read}"))
        accepted = sum(1 for r in results if r.status == "accepted")
        print(f"{accepted} accepted")

        analysis = instasent.segments("Привет!")
        print(analysis.encoding, analysis.segments, analysis.units)

        report = instasent.parse_dlr(b'{"id":"x","status":"delivered","code":0}')
        tracker = instasent.DeliveryTracker()
        print(tracker.record(report), tracker.counts())

        try:
            client.message("missing")
        except instasent.NotFoundError as e:
            print(e.code, e.status)


if __name__ == "__main__":
    main()
