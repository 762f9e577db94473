"""Drawing ahead: while MkDocs renders the pages, a second process draws the preview cards into
the build's card cache, so that a build without caches uses two cores.

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

FEW = 4  # below this many cards a second process costs more than it saves


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


def start(cards: list[Card], card_dir: Path) -> Ahead | None:
    """Start drawing the cards missing from `card_dir`; None when there are too few to draw
    or a single core to draw on."""
    missing = {card.key(): card for card in cards
               if not (card_dir / f"{card.key()}.png").is_file()}
    cores = os.cpu_count() or 1
    if cores < 2 or len(missing) < FEW:
        return None
    # One process per core beside the build's own (more would slow the build down).
    share = min(cores - 1, len(missing))
    cards_left = [asdict(card) for card in missing.values()]
    processes = []
    for part in range(share):
        work = {"cards": cards_left[part::share], "card_dir": str(card_dir)}
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
    work = json.load(sys.stdin)
    for fields in work["cards"]:
        keep_card(Card(**fields), Path(work["card_dir"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
