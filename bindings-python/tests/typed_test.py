"""Checked by `mypy --strict` (run-tests.sh) and run by pytest: the stubs match the module."""

import asyncio
from typing import AsyncIterator, Dict, Iterator, List, Optional

import instasent


def documented(client: instasent.Client) -> int:
    response = client.send_sms("My company", "+34666666666", "test message")
    code: int = response["response_code"]
    return code


def typed(client: instasent.Client) -> List[str]:
    sms: instasent.Sms = client.send("Acme", "+34666666666", "hi", client_id="typed-1")
    ids: List[str] = [sms.id]
    for s in client.iter_sms(per_page=50):
        ids.append(s.id)
    return ids


def bulk(client: instasent.Client) -> List[instasent.ItemResult]:
    def messages() -> Iterator[Dict[str, str]]:
        for i in range(3):
            yield {"from": "Acme", "to": "+34666666666", "text": f"m{i}"}

    def progress(p: instasent.Progress) -> None:
        assert p.done <= p.read

    return client.send_bulk(messages(), concurrency=2, on_progress=progress)


def streamed(client: instasent.Client) -> Dict[int, str]:
    campaign: instasent.Campaign = client.campaign(
        ({"from": "Acme", "to": "+34666666666", "text": f"s{i}"} for i in range(3)), batch_size=2
    )
    return {r.index: r.status for r in campaign}


def stopped_bulk(client: instasent.Client) -> Optional[List[instasent.ItemResult]]:
    try:
        client.send_bulk([{"from": "Acme", "to": "+34666666666"}])
    except instasent.InstasentError as e:
        return e.results
    return None


async def streamed_async(client: instasent.AsyncClient) -> List[int]:
    campaign: instasent.AsyncCampaign = client.campaign(
        [{"from": "Acme", "to": "+34666666666", "text": f"as{i}"} for i in range(3)]
    )
    return sorted([r.index async for r in campaign])


async def rows() -> AsyncIterator[Dict[str, str]]:
    for i in range(3):
        await asyncio.sleep(0)
        yield {"from": "Acme", "to": "+34666666666", "text": f"ag{i}"}


async def streamed_from_async_generator(client: instasent.AsyncClient) -> List[int]:
    return sorted([r.index async for r in client.campaign(rows())])


async def concurrent(client: instasent.AsyncClient) -> List[int]:
    rs = await asyncio.gather(*(client.send_sms("Acme", "+34666666666", f"a{i}") for i in range(3)))
    return [r["response_code"] for r in rs]


def test_typed_surface() -> None:
    with instasent.Sandbox() as sb:
        client = sb.client()
        assert documented(client) == 201
        assert len(typed(client)) == 3
        assert [r.status for r in bulk(client)] == ["accepted"] * 3
        assert streamed(client) == {0: "accepted", 1: "accepted", 2: "accepted"}
        assert stopped_bulk(client) == []
        ac = instasent.AsyncClient(sb.token, base_url=sb.base_url)
        assert asyncio.run(concurrent(ac)) == [201] * 3
        assert asyncio.run(streamed_async(ac)) == [0, 1, 2]
        assert asyncio.run(streamed_from_async_generator(ac)) == [0, 1, 2]
        a: instasent.Analysis = instasent.segments("hi €", smart=True)
        assert a.encoding == "GSM-7"
        report: instasent.DeliveryReport = instasent.parse_dlr(b'{"id":"x","status":"delivered"}')
        status: Optional[str] = report.status
        assert status == "delivered"
        try:
            client.message("missing")
        except instasent.NotFoundError as e:
            assert e.status == 404
