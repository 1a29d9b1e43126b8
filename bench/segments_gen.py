"""Deterministic inputs for bench/segments.sh, written to OUT_DIR:
    gsm7.txt     ~1 MB of GSM-7 SMS sentences (some with escape characters: € [ ] { } ~ ^ | \\)
    ucs2.txt     ~1 MB of Spanish with á í ó ú, emoji and Cyrillic (UCS-2)
    corpus.jsonl 100,000 short SMS (60-200 characters), one JSON string a line, mixed:
                 plain GSM-7, GSM-7 with escapes, Spanish accents, emoji, Cyrillic

    python bench/segments_gen.py OUT_DIR [MESSAGES]
Same seed, same bytes: every implementation analyses the very same texts."""
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from segments_naive import GSM7_BASIC, GSM7_EXTENDED  # noqa: E402

GSM_PLAIN = [
    "Your order {n} has shipped. Track it at https://ex.co/t/{n}",
    "Hi {name}, your appointment is confirmed for {d} at {h}.",
    "Your verification code is {code}. It expires in 10 minutes.",
    "Hola {name}, tu pedido {n} llega mañana entre las {h} y las 14:00.",
    "Reminder: your table for 4 at Casa Pepe is booked for {d}, {h}.",
    "{name}, your parcel is waiting at the pick-up point (ref {n}).",
    "Don't miss it! 20% off everything this weekend. Reply STOP to opt out.",
    "Su cita con el Dr. Muñoz es el {d} a las {h}. ¿Confirma? Responda SI o NO.",
    "Payment of {eur} EUR received, thank you. Balance: {eur2} EUR.",
    "Alert: login from a new device at {h}. Not you? Call 900 123 456.",
]
GSM_ESCAPED = [
    "Your invoice {n} of {eur}€ is ready [due {d}].",
    "Promo {{CODE{code}}}: 15€ off ~ today only | shop.ex.co",
    "Saldo: {eur}€. Recarga en https://ex.co/r?u={n}&t=1 [sin coste]",
    "Use code ^{code}^ at checkout \\ valid until {d}.",
]
UCS2 = [
    "Hola {name}, tu código de acceso es {code}. Válido 10 minutos. 🔐",
    "¡Última oportunidad! Envío gratis en tu próximo pedido 🚚📦",
    "Tu cita está confirmada para el {d} a las {h}. Te esperamos 😊",
    "Здравствуйте, {name}! Ваш заказ {n} отправлен. Спасибо! 🙏",
    "Código de verificación: {code}. No lo compartas con nadie ⚠️",
    "Your ride is arriving 🚕 – look for the white Toyota, plate 4821 KZB.",
    "Ваш код подтверждения: {code}. Никому его не сообщайте.",
    "Reunión trasladada al miércoles {d}, sala Atlántico. ¿Podrás asistir? 👍",
    "Feliz cumpleaños, {name}! 🎉 Tienes un 20% de descuento en tu próxima compra 🎁",
]
GSM_NAMES = ["Ana", "José", "Pedro", "Sergio", "Olga", "Marta", "Nikolai", "Inés"]
UCS2_NAMES = GSM_NAMES + ["María", "Lucía", "Iván", "Ramón"]


def fill(rng, template):
    names = UCS2_NAMES if template in UCS2 else GSM_NAMES
    return template.format(
        n=rng.randint(10000, 99999999), name=rng.choice(names), code=rng.randint(100000, 999999),
        d=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}", h=f"{rng.randint(8, 20)}:{rng.choice(['00', '15', '30', '45'])}",
        eur=f"{rng.randint(1, 999)},{rng.randint(0, 99):02d}", eur2=f"{rng.randint(1, 9999)},{rng.randint(0, 99):02d}",
    )


def message(rng, pools, low=60, high=200):
    """Sentences from the pools until the target length; trimmed to it, at most `high`."""
    target = rng.randint(low, high)
    text = fill(rng, rng.choice(pools[0]))
    while len(text) < target:
        text += " " + fill(rng, rng.choice(rng.choice(pools)))
    return text[:target].rstrip() if len(text) > high else text


def big(rng, pools, size):
    chunks, total = [], 0
    while total < size:
        chunk = fill(rng, rng.choice(rng.choice(pools))) + " "
        chunks.append(chunk)
        total += len(chunk.encode())
    return "".join(chunks)


def main():
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261122)
    gsm7 = big(rng, [GSM_PLAIN, GSM_PLAIN, GSM_PLAIN, GSM_ESCAPED], 1 << 20)
    assert set(gsm7) <= GSM7_BASIC | GSM7_EXTENDED, "the GSM-7 text must stay GSM-7"
    (out / "gsm7.txt").write_text(gsm7, encoding="utf-8")
    (out / "ucs2.txt").write_text(big(rng, [UCS2, GSM_PLAIN], 1 << 20), encoding="utf-8")
    mixes = [[GSM_PLAIN]] * 5 + [[GSM_PLAIN, GSM_ESCAPED]] * 2 + [[UCS2], [UCS2, GSM_PLAIN], [GSM_PLAIN, UCS2]]
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as f:
        for _ in range(count):
            f.write(json.dumps(message(rng, rng.choice(mixes)), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
