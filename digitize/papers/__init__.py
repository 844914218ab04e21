"""The citizen's vault of approved papers (reuse without a new scan) and the reviewers' queue and decisions."""
