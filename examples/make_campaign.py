#!/usr/bin/env python3
"""Writes examples/campaign.csv: the demo campaign of `instasent campaign` (deterministic).

    python3 examples/make_campaign.py            # rewrites examples/campaign.csv

5,000 personalised order notifications. The message is the CLI's --template:

    Hola {name}, tu pedido {order} llega a {city} el {date}.{note}

Most rows are plain GSM-7; names, cities and weekdays with á/í/ó/ú/Á… need UCS-2 (those rows
set allowUnicode=true); rows with a long `note` take several segments. Some destinations end in
the sandbox's DLR test suffixes (sandbox/src/outcomes.rs: 0001 failed code 3, 0002 expired
code 2, 0003 rejected code 6, 0004 failed code 9, 0005 buffered then delivered, 0006 error code
11, 0007 unknown code 99, 0008 failed code 4). About 40 rows are wrong on purpose (bad numbers,
empty text, a 12-character sender, UCS-2 text without allowUnicode, no route, a too-long
clientId) so the summary has rejections to explain.
"""

import csv
import os
import random

ROWS = 5000
TEMPLATE = "Hola {name}, tu pedido {order} llega a {city} el {date}.{note}"

# GSM 03.38 basic character set and extension table (3GPP TS 23.038 §6.2.1).
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXT = set("^{}\\[~]|€\f")

NAMES = [
    "José", "María", "Íñigo", "Begoña", "Raúl", "Inés", "Álvaro", "Ramón", "Lucía", "Sofía",
    "Martín", "Andrés", "Jesús", "Nuria", "Pilar", "Carmen", "Ángela", "Óscar", "Joaquín",
    "Iñaki", "Ainhoa", "Noelia", "Pablo", "Hugo", "Elena", "Daniel", "Marta", "Javier",
    "Laura", "Sergio", "Paula", "Alejandro", "Irene", "Carlos", "Cristina", "Manuel", "Sara",
    "David", "Rocío", "Adrián", "Belén", "Jorge", "Montserrat", "Xavier", "Nerea", "Aitor",
]
CITIES = [
    "Málaga", "Cádiz", "Córdoba", "León", "Logroño", "A Coruña", "Ávila", "Cáceres", "Almería",
    "Jaén", "Gijón", "San Sebastián", "Alcalá de Henares", "Valencia", "Sevilla", "Bilbao",
    "Zaragoza", "Murcia", "Palma", "Vigo", "Valladolid", "Pamplona", "Girona", "Lleida",
    "Barcelona", "Madrid", "Toledo", "Segovia", "Salamanca", "Burgos", "Santander", "Oviedo",
]
DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
LONG_NOTES = [
    # GSM-7 only (é, ñ, ¡ are in the default alphabet): 2 segments with the greeting.
    " Si necesitas cambiar la entrega, responde a este mensaje o llama al 900 123 456 de lunes"
    " a viernes, de 9 a 19 h. Gracias por confiar en nosotros, ¡que lo disfrutes!",
    # UCS-2 (ó, á): several 67-unit parts.
    " Recuerda que puedes cambiar la dirección de entrega o la franja horaria desde la app hasta"
    " 2 horas antes. Si no estás en casa, lo dejaremos en tu punto de recogida más cercano.",
]
SHORT_NOTES = ["", "", "", "", " ¡Gracias!", " Te avisaremos al salir del almacén.", " Pago: tarjeta."]
SENDERS = ["TiendaSol", "TiendaSol", "TiendaSol", "Farmacia24", "34910000000"]
# Destination prefixes (all priced in the sandbox: sandbox/src/countries.rs), Spain first.
PREFIXES = ["+346", "+346", "+346", "+346", "+346", "+347", "+3519", "+336", "+5215", "+4915"]
DLR_TEST_SUFFIXES = ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008"]


def is_gsm(text):
    return all(c in GSM_BASIC or c in GSM_EXT for c in text)


def number(rng, prefix):
    length = {"+346": 8, "+347": 8, "+3519": 8, "+336": 8, "+5215": 8, "+4915": 9}[prefix]
    while True:
        digits = "".join(rng.choice("0123456789") for _ in range(length))
        if digits[-4:] not in DLR_TEST_SUFFIXES:
            return prefix + digits


def main():
    rng = random.Random(20240607)
    rows = []
    for i in range(ROWS):
        prefix = rng.choice(PREFIXES)
        to = number(rng, prefix)
        # ~1.6% of rows hit a DLR test number: each suffix about 10 times.
        if i % 61 == 7:
            to = to[:-4] + DLR_TEST_SUFFIXES[(i // 61) % len(DLR_TEST_SUFFIXES)]
        note = rng.choice(LONG_NOTES) if rng.random() < 0.12 else rng.choice(SHORT_NOTES)
        row = {
            "to": to,
            "name": rng.choice(NAMES),
            "city": rng.choice(CITIES),
            "order": "P-%06d" % (100000 + i * 7),
            "date": rng.choice(DAYS),
            "note": note,
            "from": rng.choice(SENDERS),
            "template": "",
            "clientId": "",
        }
        text = TEMPLATE.format(**row)
        row["allowUnicode"] = "false" if is_gsm(text) else "true"
        if i % 250 == 3:
            row["clientId"] = "pedido-%s" % row["order"]
        rows.append(row)

    # Wrong on purpose, spread through the file (40 rows).
    broken = [
        ("to", "600123456"), ("to", "+34 600 12 34 56"), ("to", "+3460012345678901"),
        ("to", "+0346001234567"), ("to", ""), ("to", "+34abc123456"), ("to", "0034600123456"),
        ("to", "+34"),
        ("from", "InstasentSMS"), ("from", "MiTiendaOnline"), ("from", "Ofertas-Sol!"),
        ("from", "123456789012345"), ("from", "SuperTiendaES"), ("from", "InstasentSMS"),
        ("from", "AB"), ("from", "TiendaSol+"),
        ("empty", ""), ("empty", ""), ("empty", ""), ("empty", ""), ("empty", ""), ("empty", ""),
        ("ucs2", ""), ("ucs2", ""), ("ucs2", ""), ("ucs2", ""), ("ucs2", ""), ("ucs2", ""),
        # Calling codes no country has (+999 is unassigned, +800/+881 are global services):
        # the API has no route to them.
        ("route", "+99912345678"), ("route", "+80012345678"), ("route", "+88112345678"),
        ("route", "+99987654321"), ("route", "+80087654321"), ("route", "+88187654321"),
        ("clientId", "x" * 41), ("clientId", "pedido-" + "9" * 40),
        ("allowUnicode", "quizás"), ("allowUnicode", "sí"),
        ("to", "+34-600-123-456"), ("from", ""),
    ]
    for k, (what, value) in enumerate(broken):
        row = rows[61 + k * 123]
        if what == "empty":
            # A row template that reads only an empty column renders an empty text.
            row["template"], row["note"] = "{note}", ""
        elif what == "ucs2":
            row["name"], row["allowUnicode"] = "Ángela", "false"
        elif what == "route":
            row["to"] = value
        elif what == "from" and value == "":
            row["from"] = "InstasentSMSs"
        else:
            row[what] = value

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "campaign.csv")
    columns = ["to", "name", "city", "order", "date", "note", "from", "allowUnicode", "template", "clientId"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print("wrote %s: %d rows, %d broken on purpose" % (path, len(rows), len(broken)))
    print('template: --template "%s"' % TEMPLATE)


if __name__ == "__main__":
    main()
