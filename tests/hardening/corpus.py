"""Small generated batches of article files for the concurrency, crash and outage tests."""

from __future__ import annotations

from pathlib import Path

# Names the fixture gazetteer knows, and armed groups it does not (the tagger proposes those
# as candidates, so concurrent batches race to create the same candidate actor).
KNOWN = ["Nusra Front", "Ahrar al-Sham", "Jaish al-Islam", "Islamic State", "Russia", "Turkey"]
PLACES = ["Khirbat al-Naqous", "Idlib", "Aleppo", "Hama", "Jabal al-Akrad", "al-Bab"]
UNKNOWN_GROUPS = [
    "Liwa Ahfad al-Rasoul",
    "Kataib Shams al-Shamal",
    "Liwa Thuwar al-Raqqa",
    "Kataib Nour al-Haqq",
]
DOMAINS = ["levantwire.example", "orientmonitor.example", "northdesk.example"]


def article_text(n: int) -> tuple[str, str]:
    known = KNOWN[n % len(KNOWN)]
    other = KNOWN[(n + 2) % len(KNOWN)]
    place = PLACES[n % len(PLACES)]
    group = UNKNOWN_GROUPS[n % len(UNKNOWN_GROUPS)]
    title = f"{known} and {group} fight near {place}, report {n}"
    body = (
        f"Fighters of {known} and {group} clashed with {other} near {place} on day {n}, "
        f"residents said. The monitor counted {n + 3} dead and said {group} had moved "
        f"reinforcements towards {place} overnight.\n\n"
        f"{group} said in a statement that its units held their positions. {other} denied "
        f"losing ground near {place}, and said report {n} exaggerated the fighting."
    )
    return title, body


def write_batch(directory: Path, count: int, start: int = 0) -> list[Path]:
    """``count`` articles: odd ones as saved web pages with a canonical URL on one of three
    outlets (so processes race to create the same Source), even ones as plain text."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        title, body = article_text(n)
        if n % 2:
            domain = DOMAINS[n % len(DOMAINS)]
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            page = (
                f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
                f'<link rel="canonical" href="https://{domain}/news/{n}">'
                f'<meta property="og:site_name" content="{domain}">'
                f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
            )
            path = directory / f"article-{n:03}.html"
            path.write_text(page)
        else:
            path = directory / f"article-{n:03}.txt"
            path.write_text(f"{title}\n\n{body}\n")
        paths.append(path)
    return paths
