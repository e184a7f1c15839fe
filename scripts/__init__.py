"""Set-up and developer tooling: installing, starting the servers, benchmarks."""
