"""Project scripts: evaluation, benchmark and the servers they start."""
