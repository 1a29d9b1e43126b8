"""Time to the first result of a campaign fed by an async source that gives 3 messages and then
has nothing ready (a service's queue): what the core's 20 ms linger plus one round trip to the
embedded sandbox costs, with nothing else waiting in between. Median of 7 runs, in ms.

    bindings-python/.venv/bin/python bench/idle_source.py
"""

import asyncio
import statistics
import time

import instasent

RUNS = 7


async def first_result(sandbox: instasent.Sandbox) -> float:
    async def source():  # type: ignore[no-untyped-def]
        for i in range(3):
            yield {"from": "Acme", "to": f"+3466000000{i}", "text": "otp"}
        await asyncio.sleep(1.0)

    client = instasent.AsyncClient(sandbox.token, base_url=sandbox.base_url)
    started = time.monotonic()
    campaign = client.campaign(source())
    await campaign.__anext__()
    took = time.monotonic() - started
    campaign.stop()
    async for _ in campaign:
        pass
    return took * 1000


def main() -> None:
    with instasent.Sandbox() as sandbox:
        runs = [asyncio.run(first_result(sandbox)) for _ in range(RUNS)]
    print(f"python: first result after {statistics.median(runs):.1f} ms (median of {RUNS}; runs {[round(r) for r in runs]})")


if __name__ == "__main__":
    main()
