"""Files arriving without a person at the screen: the scanner's hot folder (watch) and archives digitized in bulk
(batch)."""
