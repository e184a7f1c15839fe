"""The clinic's articles as data: passages in English and Chinese, with their sources.

One YAML file per article in `knowledge/articles/` (format: docs/knowledge.md);
`knowledge.passages` loads them, `python -m knowledge.split` drafts or updates one
from its .txt, `python -m knowledge.check` (and `make validate`) finds drift.
"""
