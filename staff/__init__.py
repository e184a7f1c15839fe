"""Product features for clinic staff, as a library with thin command-line entry points.

Each module runs as `python -m staff.<name>` (the Makefile's targets call them):
data checks (`checks`, `validate`), accuracy (`evaluate`, `report`), learning from
visitors' messages (`review`, `import_review`) and putting a model live (`release`).
"""
