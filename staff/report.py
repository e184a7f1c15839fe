"""Writes reports/index.html from the held-out evaluation, for clinic staff.

    python -m staff.report [--evaluation results/evaluation.json] [--out reports]

Reads every prediction `staff/evaluate.py` saved and shows the overall and
per-language accuracy, a table per FAQ key / intent (precision, recall, examples), the
confusion matrix as a picture, and the held-out messages that went wrong with what they
were taken for. The figures are kept in reports/summary.json; the next report shows the
change against them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Dict, List

from staff.checks import ROOT, language_of_example, load_project
from staff.evaluate import BAR

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Assistant report {{ created }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; }
table { border-collapse: collapse; margin: 1em 0; }
td, th { border: 1px solid #bbb; padding: .25em .6em; text-align: left; }
td.n { text-align: right; }
.bad { background: #fdd; } .good { color: #060; } .worse { color: #b00; }
</style></head><body>
<h1>How well the assistant understands visitors / 助手理解访客的准确率</h1>
<p>{{ created }}: {{ summary.examples }} held-out messages (never trained on).
Model: {{ model }}.</p>
<table>
<tr><th>figure</th><th>now</th><th>previous report</th><th>change</th><th>bar</th></tr>
{% for row in headline %}
<tr class="{{ 'bad' if not row.meets else '' }}"><td>{{ row.name }}</td>
<td class="n">{{ pct(row.now) }}</td><td class="n">{{ pct(row.before) }}</td>
<td class="n {{ row.direction }}">{{ change(row.now, row.before, row.lower) }}</td>
<td>{{ row.bar }}</td></tr>
{% endfor %}
</table>
<p>{{ 'All figures meet the bar: this model may go live (make release).'
   if all_meet else 'Below the bar: make release will refuse this model.' }}</p>

<h2>Per FAQ key and intent / 每个问题</h2>
<p>Recall: of the held-out messages asking this, the share answered with it.
Precision: of the messages answered with it, the share that asked it. A low recall
needs more examples in data/; a low precision means other questions are taken for
it.</p>
<table><tr><th>key / intent</th><th>recall</th><th>precision</th>
<th>change (recall)</th><th>held-out</th><th>training examples (en / zh)</th></tr>
{% for row in per_label %}
<tr class="{{ 'bad' if row.recall < 0.9 else '' }}"><td>{{ row.label }}</td>
<td class="n">{{ pct(row.recall) }}</td><td class="n">{{ pct(row.precision) }}</td>
<td class="n">{{ change(row.recall, row.before, False) }}</td>
<td class="n">{{ row.heldout }}</td><td class="n">{{ row.en }} / {{ row.zh }}</td></tr>
{% endfor %}
</table>

<h2>Confusion matrix / 混淆矩阵</h2>
<p>Rows: what the message asked; columns: what it was taken for. Off the diagonal
are mistakes.</p>
<img src="confusion.png" alt="confusion matrix" style="max-width: 100%">

<h2>Messages that went wrong / 答错的消息 ({{ errors|length }})</h2>
<table><tr><th>message</th><th>asked</th><th>taken for</th><th>confidence</th></tr>
{% for e in errors %}
<tr><td>{{ e.text }}</td><td>{{ e.label }}</td><td>{{ e.predicted }}</td>
<td class="n">{{ '%.2f'|format(e.confidence) }}</td></tr>
{% endfor %}
</table>
</body></html>
"""


def per_label_figures(predictions: List[Dict]) -> Dict[str, Dict]:
    """Precision, recall and count per label (the label the assistant acts on)."""
    asked = Counter(p["label"] for p in predictions)
    taken = Counter(p["predicted"] for p in predictions)
    right = Counter(p["label"] for p in predictions if p["correct"])
    right_predicted = Counter(
        p["predicted"] for p in predictions if p["predicted"] == p["label"]
    )
    return {
        label: {
            "recall": right[label] / count,
            "precision": (
                right_predicted[label] / taken[label] if taken[label] else 1.0
            ),
            "heldout": count,
        }
        for label, count in sorted(asked.items())
    }


def confusion_picture(predictions: List[Dict], out: Path) -> None:
    """Saves the confusion matrix (rows asked, columns taken for) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows = sorted({p["label"] for p in predictions})
    columns = rows + sorted({p["predicted"] for p in predictions} - set(rows))
    matrix = np.zeros((len(rows), len(columns)))
    for p in predictions:
        matrix[rows.index(p["label"]), columns.index(p["predicted"])] += 1
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = 4 + 0.22 * len(columns)
    figure, axes = plt.subplots(figsize=(size, size * len(rows) / len(columns)))
    axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(len(columns)), columns, rotation=90, fontsize=7)
    axes.set_yticks(range(len(rows)), rows, fontsize=7)
    axes.set_xlabel("taken for")
    axes.set_ylabel("asked")
    for i, j in zip(*np.nonzero(matrix), strict=True):
        if i != j or shares[i, j] < 1:
            colour = "white" if shares[i, j] > 0.5 else "black"
            axes.text(
                j, i, int(matrix[i, j]), ha="center", va="center", fontsize=5,
                color=colour,
            )  # fmt: skip
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    plt.close(figure)


def headline_rows(summary: Dict, previous: Dict | None) -> List[Dict]:
    """The figures the bar is about, with the previous report's."""
    before = previous or {}
    rows = [
        ("overall accuracy", summary["overall"], before.get("overall"),
         BAR["overall"], False),
        ("off-topic recall", summary["off_topic_recall"],
         before.get("off_topic_recall"), BAR["off_topic_recall"], False),
        ("in-scope messages sent to fallback", summary["wrong_fallbacks"],
         before.get("wrong_fallbacks"), BAR["wrong_fallbacks"], True),
    ]  # fmt: skip
    for language, value in summary["languages"].items():
        name = {"en": "English", "zh": "Chinese"}.get(language, language)
        old = (before.get("languages") or {}).get(language)
        rows.insert(1, (f"{name} accuracy", value, old, BAR["language"], False))
    return [
        {
            "name": name,
            "now": now,
            "before": old,
            "lower": lower,
            "bar": f"{'<=' if lower else '>='} {bar:.0%}",
            "meets": now <= bar if lower else now >= bar,
            "direction": _direction(now, old, lower),
        }
        for name, now, old, bar, lower in rows
    ]


def _direction(now: float, before: float | None, lower: bool) -> str:
    if before is None or abs(now - before) < 1e-9:
        return ""
    return "good" if (now < before) == lower else "worse"


def pct(value: float | None) -> str:
    """A share as a percentage, or a dash."""
    return "-" if value is None else f"{value:.1%}"


def change(now: float, before: float | None, lower: bool) -> str:
    """The change in percentage points, or a dash when there is nothing to compare."""
    if before is None:
        return "-"
    points = (now - before) * 100
    return "no change" if abs(points) < 0.05 else f"{points:+.1f} points"


def build(evaluation: Path, out: Path, model: str = "models/clinic.tar.gz") -> Path:
    """Writes index.html, confusion.png and summary.json into `out`."""
    from jinja2 import Environment

    summary = json.loads(evaluation.read_text(encoding="utf-8"))
    predictions = summary["predictions"]
    for p in predictions:  # evaluation.json keeps the fields, not `correct`
        p["correct"] = p not in summary["errors"]
    out.mkdir(parents=True, exist_ok=True)
    saved = out / "summary.json"
    previous = json.loads(saved.read_text()) if saved.exists() else None
    counts: Dict[str, Counter] = {}
    for label, examples in load_project(ROOT).examples.items():
        counts[label] = Counter(language_of_example(str(e.value)) for e in examples)
    figures = per_label_figures(predictions)
    before = (previous or {}).get("per_label", {})
    per_label = [
        {
            "label": label,
            **values,
            "before": (before.get(label) or {}).get("recall"),
            "en": counts.get(label, Counter())["en"],
            "zh": counts.get(label, Counter())["zh"],
        }
        for label, values in sorted(figures.items(), key=lambda kv: kv[1]["recall"])
    ]
    headline = headline_rows(summary, previous)
    confusion_picture(predictions, out / "confusion.png")
    environment = Environment(autoescape=True)
    environment.globals.update(pct=pct, change=change)
    html = environment.from_string(TEMPLATE).render(
        summary=summary,
        created=datetime.now().strftime("%Y-%m-%d %H:%M"),
        model=model,
        headline=headline,
        all_meet=all(row["meets"] for row in headline),
        per_label=per_label,
        errors=summary["errors"],
    )
    (out / "index.html").write_text(html, encoding="utf-8")
    if previous:
        (out / "previous-summary.json").write_text(json.dumps(previous, indent=2))
    saved.write_text(
        json.dumps(
            {
                key: summary[key]
                for key in (
                    "overall",
                    "languages",
                    "off_topic_recall",
                    "wrong_fallbacks",
                    "examples",
                )
            }
            | {"per_label": figures},
            indent=2,
        )
    )
    return out / "index.html"


def main() -> int:
    """Builds the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--evaluation", type=Path, default=ROOT / "results" / "evaluation.json"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument("--model", default="models/clinic.tar.gz")
    args = parser.parse_args()
    page = build(args.evaluation, args.out, args.model)
    print(f"Report written: {page} (open it in a browser)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
