"""Speed and scale of briefing beside the alternatives: ``python -m benchmarks``."""
