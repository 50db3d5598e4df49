"""Local, deterministic simulators of exchange APIs (for tests, benchmarks and the demo mode)."""
