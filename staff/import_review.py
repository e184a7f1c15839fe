"""Adds the messages staff labelled in a review CSV to the training data.

    python -m staff.import_review reviews/review.csv

Each row with a `label` (a FAQ key such as `does_it_hurt` or `faq/does_it_hurt`, or an
intent such as `greet`) becomes an example at the end of that key's examples, in the
data file that holds them. Rows without a label are skipped; messages already in the
training data are not added twice. Nothing is written when any label is unknown.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import sys
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

from staff.checks import ROOT, load_project, normalise

SKIP = {"", "skip", "-", "跳过"}


class LabelError(ValueError):
    """A row staff have to correct; the message says which and how."""


def read_labelled(path: Path) -> List[Tuple[int, str, str]]:
    """(spreadsheet row, message, label) for every labelled row of the CSV."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        missing = {"message", "label"} - set(reader.fieldnames or [])
        if missing:
            raise LabelError(
                f"{path}: the columns {sorted(missing)} are missing; keep the header "
                "row of the file `make review` wrote."
            )
        rows = []
        for row_number, row in enumerate(reader, start=2):  # row 1 is the header
            label = (row.get("label") or "").strip()
            message = " ".join((row.get("message") or "").split())
            if label.lower() not in SKIP and message:
                rows.append((row_number, message, label))
        return rows


def resolve_label(label: str, labels: List[str]) -> str:
    """The training-data label staff meant: `does_it_hurt` is `faq/does_it_hurt`."""
    for candidate in (label, f"faq/{label}", label.lower(), f"faq/{label.lower()}"):
        if candidate in labels:
            return candidate
    close = difflib.get_close_matches(label, labels, n=1) or difflib.get_close_matches(
        f"faq/{label}", labels, n=1
    )
    hint = f" Did you mean '{close[0].removeprefix('faq/')}'?" if close else ""
    raise LabelError(f"'{label}' is not a FAQ key or intent.{hint}")


def plan(
    rows: List[Tuple[int, str, str]], root: Path
) -> Dict[Path, List[Tuple[int, str]]]:
    """{data file: [(line to insert after, example line), ...]}, or raises on errors."""
    project = load_project(root)
    labels = sorted(project.examples)
    known = {
        normalise(str(e.value)): label
        for label, examples in project.examples.items()
        for e in examples
    }
    inserts: Dict[Path, List[Tuple[int, str]]] = defaultdict(list)
    errors = []
    for row_number, message, raw_label in rows:
        try:
            label = resolve_label(raw_label, labels)
        except LabelError as error:
            errors.append(f"row {row_number} ({message!r}): {error}")
            continue
        already = known.get(normalise(message))
        if already == label:
            continue
        if already:
            errors.append(
                f"row {row_number} ({message!r}): this message is already an example "
                f"of '{already}'. Label it '{already}', or move the example in the "
                "data file first."
            )
            continue
        known[normalise(message)] = label
        last = project.examples[label][-1]
        # Rasa reads [text](entity) as an entity: keep brackets out of new examples.
        text = message.replace("[", "(").replace("]", ")")
        inserts[root / last.path].append((last.line, text))
    if errors:
        raise LabelError("\n".join(errors))
    return inserts


def apply(inserts: Dict[Path, List[Tuple[int, str]]]) -> int:
    """Inserts the examples after their key's last example; returns how many."""
    added = 0
    for path, lines in inserts.items():
        content = path.read_text(encoding="utf-8").splitlines(keepends=True)
        # From the bottom up, so earlier line numbers stay right (and rows keep
        # their CSV order under the same key).
        ordered = sorted(enumerate(lines), key=lambda item: (-item[1][0], -item[0]))
        for _, (after, text) in ordered:
            previous = content[after - 1]
            indent = previous[: len(previous) - len(previous.lstrip())]
            content.insert(after, f"{indent}- {text}\n")
            added += 1
        path.write_text("".join(content), encoding="utf-8")
    return added


def main() -> int:
    """Imports the CSV named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="the labelled review CSV")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    try:
        added = apply(plan(read_labelled(args.csv), args.root))
    except LabelError as error:
        print(f"Nothing was imported. Correct these rows and run again:\n{error}")
        return 1
    print(
        f"{added} new examples added to data/. Next: make validate, then make report."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
