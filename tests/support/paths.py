"""Where the tests find material outside the repository and leave what a person should look at."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO.parent / "shared" / "samples"
ARTIFACTS = REPO / "test-artifacts"
