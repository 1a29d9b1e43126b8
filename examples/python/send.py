# Sends one SMS with the documented method and prints {response_code, response_body}.
# Run: INSTASENT_BASE_URL=http://127.0.0.1:PORT/transactional/v1 INSTASENT_TOKEN=… python examples/python/send.py
import json
import os
import sys

import instasent

client = instasent.Client(os.environ["INSTASENT_TOKEN"])  # base URL: $INSTASENT_BASE_URL
response = client.send_sms("Acme", "+34600123456", "Your code is 4821")
print(f"response_code: {response['response_code']}")
print(f"response_body: {json.dumps(response['response_body'])}")
# The documented call returns an API error (401, 402, 422…) instead of raising: exit with it.
sys.exit(0 if response["response_code"] < 400 else 1)
