"""Running: the enrichment stages and fingerprints, the batch, its cache and its output."""
