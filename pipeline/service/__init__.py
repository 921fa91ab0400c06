"""The tagging service: an HTTP API and a review page, thin over the CLI's stage functions."""
