"""Drawing ahead: while MkDocs renders the pages, a second process draws the preview cards and
the desk's QR codes into the build's caches, so that a build without caches uses both cores.

Nothing depends on it: whatever it has not finished (or could not start) is drawn in the build
itself, from the same functions, into the same cache entries. Run as
`python -m replypage.ahead`, reading its work as JSON on stdin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from .cards import Card, keep_card

FEW = 4  # below this many pictures a second process costs more than it saves


class Ahead:
    """Running drawing processes; `wait()` before using what they draw."""

    def __init__(self, processes: list[subprocess.Popen], cards: set[str]) -> None:
        self.processes = processes
        self.cards = cards  # keys of the cards they draw: drawn by this build

    def wait(self) -> None:
        for process in self.processes:
            try:
                process.wait(timeout=300)
            except subprocess.TimeoutExpired:
                self.stop()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def start(cards: list[Card], card_dir: Path, qr_codes: list[tuple[str, str]], site_url: str,
          keep_dir: Path) -> Ahead | None:
    """Start drawing the cards missing from `card_dir` and the QR codes missing from
    `keep_dir`; None when there is too little to draw or a single core to draw on."""
    from .keep import key
    from .qr import qr_parts

    missing = {card.key(): card for card in cards
               if not (card_dir / f"{card.key()}.png").is_file()}
    codes = [(url, label) for url, label in qr_codes
             if not (keep_dir / (key(qr_parts(url, site_url, label)) + ".svg")).is_file()]
    cores = os.cpu_count() or 1
    if cores < 2 or len(missing) + len(codes) < FEW:
        return None
    # One process per core beside the build's own (more would slow the build down).
    share = min(cores - 1, len(missing) + len(codes))
    cards_left = [asdict(card) for card in missing.values()]
    processes = []
    for part in range(share):
        work = {"cards": cards_left[part::share], "card_dir": str(card_dir),
                "qr": codes[part::share], "site_url": site_url, "keep_dir": str(keep_dir)}
        try:
            process = subprocess.Popen([sys.executable, "-m", "replypage.ahead"],
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            assert process.stdin is not None
            process.stdin.write(json.dumps(work).encode())
            process.stdin.close()
        except OSError:
            break
        processes.append(process)
    return Ahead(processes, set(missing)) if processes else None


def main() -> int:
    from .qr import qr_svg

    work = json.load(sys.stdin)
    for fields in work["cards"]:
        keep_card(Card(**fields), Path(work["card_dir"]))
    for url, label in work["qr"]:
        qr_svg(url, work["site_url"], label, Path(work["keep_dir"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
