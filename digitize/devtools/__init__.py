"""For developers, never imported by production code: generated papers (synth, synth_forms, the independent
synth_holdout), the benchmark, the evaluation, the load test, the real set."""
