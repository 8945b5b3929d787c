"""Synthetic corpus for benchmarks: invented border reports of about 800 words.

Every report is built from invented sentence templates filled with places, goods, sources and
numbers drawn from a seeded random generator, so each text is unique (no accidental duplicates)
and a run is reproducible. Nothing here is real reporting.
"""

from __future__ import annotations

import random
from pathlib import Path

PLACES = ["Sinuiju", "Hyesan", "Dandong", "Hoeryong", "Musan", "Manpo", "Nampo", "Chongjin",
          "Rason", "Hunchun", "Tumen", "Changbai", "Ji'an", "Onsong", "Kimjongsuk County"]
PROVINCES = ["North Pyongan Province", "Ryanggang Province", "North Hamgyong Province",
             "Chagang Province", "Liaoning Province", "Jilin Province"]
GOODS = ["rice", "corn", "diesel", "soybean oil", "sugar", "flour", "mobile phones", "fertilizer",
         "steel products", "car parts", "seafood", "coal", "textiles", "powdered milk", "medicine"]
SOURCES = ["a source in {p}", "a resident of {prov}", "a trader in {p}", "an official in {p}",
           "a Daily NK source in China", "a smuggler based in {p}"]
TEMPLATES = [
    "Authorities in {p} have tightened inspections of {g} at the border, {s} told the outlet on {d}.",
    "The price of {g} in {p} markets rose to KPW {n},000 per kilogram last week, according to {s}.",
    "{S} said that smugglers caught moving {g} near {p} were fined RMB {n},000 each.",
    "Trading companies in {prov} are asking Chinese partners for {g} and {g2}, {s} said.",
    "About {n} trucks carrying {g} crossed the bridge at {p} in the morning, {s} added.",
    "Officials reportedly ordered new patrols along the river near {p} after {n} people fled.",
    "Brokers in {p} now charge a {n} percent commission on remittances, {s} explained.",
    "State media claimed that the situation in {prov} was completely stable in {m}.",
    "Residents of {p} said fever cases were rising, with over {n} cases reported every day.",
    "Shipments of {g} through the port of Nampo increased in {m}, {s} told the newsroom.",
    "Border guards in {p} were punished after accepting bribes of USD {n},000 from traders.",
    "A new checkpoint was set up on the road from {p} to the provincial capital in {m}.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
FILLER = ["residents", "traders", "officials", "markets", "prices", "border", "river", "bridge", "trucks", "inspections", "quarantine", "exports", "imports", "brokers", "patrols", "customs", "permits", "factories", "harvest", "winter", "summer", "villages", "households", "families", "wages", "shortages", "supplies", "rumours"]


def _sentence(rng: random.Random) -> str:
    p = rng.choice(PLACES)
    fill = {
        "p": p, "prov": rng.choice(PROVINCES), "g": rng.choice(GOODS), "g2": rng.choice(GOODS),
        "n": rng.randint(2, 95), "m": rng.choice(MONTHS), "d": rng.choice(DAYS),
    }
    s = rng.choice(SOURCES).format(**fill)
    text = rng.choice(TEMPLATES).format(s=s, S=s[0].upper() + s[1:], **fill)
    tail = " ".join(rng.choice(FILLER) for _ in range(rng.randint(0, 6)))
    return text + (f" Talk of {tail} continued." if tail else "")


def report(i: int, words: int = 800) -> tuple[str, str, str]:
    """(title, published, body) of synthetic report `i`; the same i always gives the same text."""
    rng = random.Random(i)
    paras: list[str] = []
    count = 0
    while count < words:
        para = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
        paras.append(para)
        count += len(para.split())
    title = f"Invented report {i}: {rng.choice(GOODS)} and {rng.choice(PLACES)}"
    published = f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return title, published, "\n\n".join(paras)


def write_text(folder: Path, n: int, start: int = 0) -> int:
    """Write n reports in the seed's text layout; return total bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(start, start + n):
        _title, _published, body = report(i)
        data = (f"border, trade, invented\nA synthetic caption (invented example)\n\n{body}\n\n"
                "Read in Korean\n").encode()
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"r{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def write_html(folder: Path, n: int, start: int = 0) -> int:
    """Write n reports as article pages with navigation furniture; return total bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(start, start + n):
        title, published, body = report(i)
        paras = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n"))
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{title}</title><meta property='article:published_time' content='{published}'>"
            "<meta name='author' content='Invented Reporter'></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/about'>About</a></nav>"
            f"<article><h1>{title}</h1>{paras}</article>"
            "<aside><h3>Related</h3><ul><li><a href='/a'>Other story</a></li></ul></aside>"
            "<footer>Synthetic benchmark page (invented example)</footer></body></html>"
        ).encode()
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"r{i:06d}.html").write_bytes(page)
        total += len(page)
    return total
