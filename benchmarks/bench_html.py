"""Compare HTML body-text extractors on a news page with furniture (not a test).

Run: python benchmarks/bench_html.py   (trafilatura and bs4 are optional here)

For each extractor: pages/s, whether every body paragraph survived, and how
many pieces of page furniture (navigation, share bar, newsletter box, sidebar,
footer, script) leaked into the text.
"""

from __future__ import annotations

import time
from pathlib import Path

PAGE = (Path(__file__).resolve().parent.parent / "tests" / "data" / "news_page.html").read_text()
BODY = ["Immigration agents arrested two men", "People are choosing between", "screened for weapons", "cannot bar it from public hallways"]
FURNITURE = ["Sports", "Share on Facebook", "Subscribe", "Most read", "Privacy policy", "dataLayer", "County weighs new jail", "morning briefing"]


def framing_extract(html: str) -> str:
    from framing.text import parse_article

    return parse_article(html, suffix=".html").text


def trafilatura_extract(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def bs4_extract(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for node in soup(["script", "style"]):
        node.decompose()
    return soup.get_text("\n")


def main() -> None:
    print(f"{'extractor':28} {'pages/s':>9} {'body kept':>10} {'furniture leaked':>17}")
    for name, extract in [("framing (selectolax/lexbor)", framing_extract), ("trafilatura", trafilatura_extract), ("bs4 get_text", bs4_extract)]:
        try:
            text = extract(PAGE)
        except ImportError as error:
            print(f"{name:28} not installed ({error})")
            continue
        runs = 200
        start = time.perf_counter()
        for _ in range(runs):
            extract(PAGE)
        rate = runs / (time.perf_counter() - start)
        kept = sum(piece in text for piece in BODY)
        leaked = [piece for piece in FURNITURE if piece in text]
        print(f"{name:28} {rate:>9,.0f} {kept:>7}/{len(BODY)} {len(leaked):>10}/{len(FURNITURE)} {leaked if leaked else ''}")


if __name__ == "__main__":
    main()
