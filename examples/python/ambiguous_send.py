# A send that may have gone out unanswered (AmbiguousOutcomeError): look the message up by its
# clientId, and send it again only when it is not there. The API refuses a clientId it has
# seen, so that resend cannot deliver it twice.
#
# The SDK retries an unanswered send itself, and a retry that finds its clientId used reports
# the send as accepted. So the error reaches you only when the retries could not settle it (an
# outage): keep the clientId with what you were sending, and settle it once the API answers.
#
# The demo provokes both cases in a sandbox of its own (injected faults), retries off so that
# the first fault is the answer. Run: python examples/python/ambiguous_send.py
import instasent


def settle(client: instasent.Client, client_id: str, sender: str, to: str, text: str) -> str:
    """Makes sure the message with this clientId went out once; says how."""
    found = client.find_message(client_id)
    if found is not None:
        return f"already sent as {found.id}, not sent again"
    resent = client.send(sender, to, text, client_id=client_id)
    return f"not in the history, sent again as {resent.id}"


SENDER, TO, TEXT = "Acme", "+34600123456", "Your order has shipped"

with instasent.Sandbox() as sandbox:
    client = sandbox.client(max_retries=0)
    for client_id, drop_after_commit_rate, error_rate in [
        ("order-1001", 1.0, 0.0),  # committed, then the connection closed
        ("order-1002", 0.0, 1.0),  # answered 500 before anything was committed
    ]:
        sandbox.set_faults(drop_after_commit_rate=drop_after_commit_rate, error_rate=error_rate)
        try:
            client.send(SENDER, TO, TEXT, client_id=client_id)
        except instasent.AmbiguousOutcomeError as e:
            print(f"{e.client_id}: {e.code}, may have been sent: {e.maybe_committed}")
        else:
            raise SystemExit(f"{client_id}: sent, but the sandbox was to fail it")
        sandbox.set_faults()  # the outage is over
        print(f"{client_id}: {settle(client, client_id, SENDER, TO, TEXT)}")

    sent = [m["clientId"] for m in sandbox.messages()]
    print("ledger: " + ", ".join(f"{c} x{sent.count(c)}" for c in ("order-1001", "order-1002")))
