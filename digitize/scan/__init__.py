"""A scanned page from file to words: intake (types, pages, limits), cleanup, phone photos, text size, ID cards and
their zones, the page pipeline, the reader seam and the pool of page workers."""
